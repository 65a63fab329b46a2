package io.agentbilling.client.service;

import java.util.Objects;
import java.util.UUID;

/**
 * A hold to place ({@code POST /v1/internal/billing/holds}): admitted only when the org's available credit, the
 * member's budget and the key's caps all leave {@code amountCents}.
 *
 * @param memberId       the member doing the work, whose budget applies; null for none
 * @param apiKeyId       the key the work goes through, whose caps apply; null for none
 * @param ttlSeconds     seconds until it releases by itself, 1..604800
 * @param idempotencyKey null: one is generated for the call and kept for its retries
 */
public record HoldRequest(UUID orgId, UUID memberId, UUID apiKeyId, long amountCents, long ttlSeconds,
                          String idempotencyKey) {
    public HoldRequest {
        Objects.requireNonNull(orgId, "orgId");
    }

    public static HoldRequest of(UUID orgId, long amountCents, long ttlSeconds) {
        return new HoldRequest(orgId, null, null, amountCents, ttlSeconds, null);
    }

    public HoldRequest forMember(UUID member) {
        return new HoldRequest(orgId, member, apiKeyId, amountCents, ttlSeconds, idempotencyKey);
    }

    public HoldRequest throughKey(UUID key) {
        return new HoldRequest(orgId, memberId, key, amountCents, ttlSeconds, idempotencyKey);
    }

    public HoldRequest withIdempotencyKey(String key) {
        return new HoldRequest(orgId, memberId, apiKeyId, amountCents, ttlSeconds, key);
    }
}
