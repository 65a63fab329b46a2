package io.agentbilling.client.service;

import java.util.Objects;

/**
 * A signed manual correction with a reason ({@code POST /v1/internal/orgs/{orgId}/adjustments}): positive adds
 * credit, negative removes it.
 */
public record Adjustment(long amountCents, String reason, String idempotencyKey) {
    public Adjustment {
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * Creates one of the given values.
     *
     * @param reason why
     */
    public static Adjustment of(long amountCents, String reason) {
        return new Adjustment(amountCents, reason, null);
    }

    /**
     * A copy with another idempotency key.
     */
    public Adjustment withIdempotencyKey(String key) {
        return new Adjustment(amountCents, reason, key);
    }
}
