package io.agentbilling.core.spend;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.money.Credits;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A member's budget and where they stand against it: spent today and this month (UTC), held by active holds, and
 * what remains under each limit ({@code limit - spent - held}; negative once usage went past it).
 *
 * @param budget             null when the member has none
 * @param remainingToday     null without a daily limit
 * @param remainingThisMonth null without a monthly limit
 */
public record MemberBudgetStatus(MemberId memberId, String email, MemberBudget budget, LocalDate today,
                                 LocalDate monthStart, Credits spentToday, Credits spentThisMonth, Credits held,
                                 Credits remainingToday, Credits remainingThisMonth) {
    public MemberBudgetStatus {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(today, "today");
        Objects.requireNonNull(monthStart, "monthStart");
        Objects.requireNonNull(spentToday, "spentToday");
        Objects.requireNonNull(spentThisMonth, "spentThisMonth");
        Objects.requireNonNull(held, "held");
    }

    public static MemberBudgetStatus of(MemberId memberId, String email, MemberBudget budget, LocalDate today,
                                        Credits spentToday, Credits spentThisMonth, Credits held) {
        Credits daily = budget == null ? null : budget.dailyLimit();
        Credits monthly = budget == null ? null : budget.monthlyLimit();
        return new MemberBudgetStatus(memberId, email, budget, today, UtcPeriods.monthStart(today), spentToday,
                spentThisMonth, held, remaining(daily, spentToday, held), remaining(monthly, spentThisMonth, held));
    }

    static Credits remaining(Credits limit, Credits spent, Credits held) {
        return limit == null ? null : Admission.minus(Admission.minus(limit, spent), held);
    }
}
