package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.spend.MemberBudgetStatus;
import io.agentbilling.http.json.Amounts;
import java.time.LocalDate;

/** One member's budget and spend ({@code GET /v1/billing/budgets}). */
@JsonClassDescription("A member's budget and where they stand against it")
public record MemberBudgetView(
        MemberId memberId,
        String email,
        @JsonPropertyDescription("null: no monthly limit") Long monthlyLimitCents,
        @JsonPropertyDescription("null: no daily limit") Long dailyLimitCents,
        @JsonPropertyDescription("The UTC day the daily figures are for") LocalDate day,
        @JsonPropertyDescription("The first day of the UTC month the monthly figures are for") LocalDate monthStart,
        @JsonPropertyDescription("Charged to the member today (plus BYOK at list price when the org counts it), "
                + "cents half-even") long spentTodayCents,
        @JsonPropertyDescription("The same for this month") long spentThisMonthCents,
        @JsonPropertyDescription("Reserved by the member's active holds, cents half-even") long heldCents,
        @JsonPropertyDescription("daily limit - spent today - held, cents rounded down; null without a daily limit")
        Long remainingTodayCents,
        @JsonPropertyDescription("monthly limit - spent this month - held, cents rounded down; null without a "
                + "monthly limit") Long remainingThisMonthCents) {

    public static MemberBudgetView of(MemberBudgetStatus s) {
        return new MemberBudgetView(s.memberId(), s.email(),
                s.budget() == null ? null : cents(s.budget().monthlyLimit()),
                s.budget() == null ? null : cents(s.budget().dailyLimit()), s.today(), s.monthStart(),
                Amounts.centsOf(s.spentToday()), Amounts.centsOf(s.spentThisMonth()), Amounts.centsOf(s.held()),
                floor(s.remainingToday()), floor(s.remainingThisMonth()));
    }

    static Long cents(Credits limit) {
        return limit == null ? null : Amounts.balanceCentsOf(limit);
    }

    static Long floor(Credits amount) {
        return amount == null ? null : Amounts.balanceCentsOf(amount);
    }
}
