package io.agentbilling.client.service;

import java.time.Instant;

/**
 * Promotional credit to grant ({@code POST /v1/internal/orgs/{orgId}/grants}).
 *
 * @param expiresAt   when the unconsumed remainder expires (in the future); null = never
 * @param description null = {@code promotional credit}
 */
public record Grant(long amountCents, Instant expiresAt, String description, String idempotencyKey) {
    /**
     * Creates one of the given values.
     */
    public static Grant of(long amountCents) {
        return new Grant(amountCents, null, null, null);
    }

    /**
     * A copy with another expires at.
     *
     * @param at the instant
     */
    public Grant withExpiresAt(Instant at) {
        return new Grant(amountCents, at, description, idempotencyKey);
    }

    /**
     * A copy with another description.
     */
    public Grant withDescription(String text) {
        return new Grant(amountCents, expiresAt, text, idempotencyKey);
    }

    /**
     * A copy with another idempotency key.
     */
    public Grant withIdempotencyKey(String key) {
        return new Grant(amountCents, expiresAt, description, key);
    }
}
