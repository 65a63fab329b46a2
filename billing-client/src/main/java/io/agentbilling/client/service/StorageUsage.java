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
 */
public record StorageUsage(UUID orgId, String workspaceId, UUID memberId, long byteSeconds, Instant from, Instant to,
                           String idempotencyKey) implements UsageEvent {
    public static final String TYPE = "storage";

    public StorageUsage {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(workspaceId, "workspaceId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
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
        return new StorageUsage(orgId, workspaceId, member, byteSeconds, from, to, idempotencyKey);
    }

    @Override
    public StorageUsage withIdempotencyKey(String key) {
        return new StorageUsage(orgId, workspaceId, memberId, byteSeconds, from, to, key);
    }

    @Override
    public String batchType() {
        return TYPE;
    }
}
