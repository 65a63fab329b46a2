package io.agentbilling.client.billing;

import java.time.LocalDate;
import java.util.UUID;

/**
 * A member's budget and where they stand against it ({@code GET /v1/billing/budgets}).
 *
 * @param monthlyLimitCents       null: no monthly limit
 * @param dailyLimitCents         null: no daily limit
 * @param remainingTodayCents     daily limit less spent today less held; null without a daily limit
 * @param remainingThisMonthCents monthly limit less spent this month less held; null without a monthly limit
 */
public record MemberBudget(UUID memberId, String email, Long monthlyLimitCents, Long dailyLimitCents, LocalDate day,
                           LocalDate monthStart, long spentTodayCents, long spentThisMonthCents, long heldCents,
                           Long remainingTodayCents, Long remainingThisMonthCents) {
}
