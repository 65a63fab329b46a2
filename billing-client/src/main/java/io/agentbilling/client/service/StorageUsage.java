package io.agentbilling.client.service;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Storage a workspace held over {@code [from, to)}, to settle ({@code POST /v1/internal/billing/storage/usage};
 * batch type {@code storage}).
 *
 * @param byteSeconds bytes held times seconds held
 * @param memberId    optional: the member it is attributed to
 * @param apiKeyId    the API key the work went through: the charge counts toward its caps; null for none
 * @param holdId      a hold to capture: the actual charge is made and the rest released; null for none
 */
public record StorageUsage(UUID orgId, String workspaceId, UUID memberId, long byteSeconds, Instant from, Instant to,
                           String idempotencyKey, UUID apiKeyId, UUID holdId) implements UsageEvent {
    public static final String TYPE = "storage";

    public StorageUsage {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    /** Storage charged to no key and capturing no hold, as before spend controls. */
    public StorageUsage(UUID orgId, String workspaceId, UUID memberId, long byteSeconds, Instant from, Instant to,
                        String idempotencyKey) {
        this(orgId, workspaceId, memberId, byteSeconds, from, to, idempotencyKey, null, null);
    }

    /**
     * Creates one of the given values.
     *
     * @param orgId the organization
     * @param from the start (inclusive)
     * @param to the end (exclusive)
     */
    public static StorageUsage of(UUID orgId, String workspaceId, long byteSeconds, Instant from, Instant to) {
        return new StorageUsage(orgId, workspaceId, null, byteSeconds, from, to, null);
    }

    /**
     * A copy with another member id.
     */
    public StorageUsage withMemberId(UUID member) {
        return new StorageUsage(orgId, workspaceId, member, byteSeconds, from, to, idempotencyKey, apiKeyId, holdId);
    }

    @Override
    public StorageUsage withIdempotencyKey(String key) {
        return new StorageUsage(orgId, workspaceId, memberId, byteSeconds, from, to, key, apiKeyId, holdId);
    }

    @Override
    public StorageUsage withApiKeyId(UUID key) {
        return new StorageUsage(orgId, workspaceId, memberId, byteSeconds, from, to, idempotencyKey, key, holdId);
    }

    @Override
    public StorageUsage withHoldId(UUID hold) {
        return new StorageUsage(orgId, workspaceId, memberId, byteSeconds, from, to, idempotencyKey, apiKeyId, hold);
    }

    @Override
    public String batchType() {
        return TYPE;
    }
}
