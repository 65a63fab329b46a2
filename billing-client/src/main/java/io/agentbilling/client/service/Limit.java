package io.agentbilling.client.service;

/**
 * One limit the credit gate checked.
 *
 * @param kind           which limit
 * @param limitCents     the limit; for {@link LimitKind#ORG_BALANCE}, the committed balance
 * @param spentCents     spent in the limit's period; null for {@link LimitKind#ORG_BALANCE}
 * @param remainingCents limit less spent less held; negative once usage went past it
 */
public record Limit(LimitKind kind, long limitCents, Long spentCents, long heldCents, long remainingCents) {
}
