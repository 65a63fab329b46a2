package io.agentbilling.client.service;

import java.time.Instant;

/**
 * Promotional credit to grant ({@code POST /v1/internal/orgs/{orgId}/grants}).
 *
 * @param expiresAt   when the unconsumed remainder expires (in the future); null = never
 * @param description null = {@code promotional credit}
 */
public record Grant(long amountCents, Instant expiresAt, String description, String idempotencyKey) {
    public static Grant of(long amountCents) {
        return new Grant(amountCents, null, null, null);
    }

    public Grant withExpiresAt(Instant at) {
        return new Grant(amountCents, at, description, idempotencyKey);
    }

    public Grant withDescription(String text) {
        return new Grant(amountCents, expiresAt, text, idempotencyKey);
    }

    public Grant withIdempotencyKey(String key) {
        return new Grant(amountCents, expiresAt, description, key);
    }
}
