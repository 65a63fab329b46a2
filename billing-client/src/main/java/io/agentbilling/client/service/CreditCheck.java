package io.agentbilling.client.service;

import java.util.List;

/**
 * The credit gate's answer.
 *
 * @param heldCents      what the org's active holds reserve
 * @param availableCents the balance less active holds
 * @param reason         {@code insufficient_credits} (the org's balance) or {@code spend_limit_reached} (a budget or
 *                       cap) when refused; null when allowed
 * @param limitedBy      the limit that refused: the first, in {@link LimitKind}'s order, that does not leave the
 *                       estimate (without an estimate, that has nothing left); null when allowed
 * @param limits         every limit that applies, {@link LimitKind#ORG_BALANCE} first
 */
public record CreditCheck(boolean allowed, long balanceCents, long heldCents, long availableCents, String reason,
                          LimitKind limitedBy, List<Limit> limits) {
    public CreditCheck {
        limits = limits == null ? List.of() : List.copyOf(limits);
    }

    /**
     * The limit of {@code kind}, or null when it does not apply.
     *
     * @param kind which limit
     */
    public Limit limit(LimitKind kind) {
        return limits.stream().filter(l -> l.kind() == kind).findFirst().orElse(null);
    }
}
