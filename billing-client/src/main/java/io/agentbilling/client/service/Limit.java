package io.agentbilling.client.service;

/**
 * One limit the credit gate checked.
 *
 * @param kind           {@code org_balance}, {@code member_daily}, {@code member_monthly}, {@code key_monthly} or
 *                       {@code key_lifetime}
 * @param limitCents     the limit; for {@code org_balance}, the committed balance
 * @param spentCents     spent in the limit's period; null for {@code org_balance}
 * @param remainingCents limit less spent less held; negative once usage went past it
 */
public record Limit(String kind, long limitCents, Long spentCents, long heldCents, long remainingCents) {
}
