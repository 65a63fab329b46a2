package io.agentbilling.core.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored API key: never the key itself, only its SHA-256 hash (hex) and a short display prefix
 * (e.g. {@code rt_live_AbCd}) so people can tell their keys apart.
 *
 * @param expiresAt null = never expires
 * @param revokedAt null = not revoked
 */
public record ApiKey(
        ApiKeyId id,
        OrgId orgId,
        MemberId memberId,
        String name,
        String keyHash,
        String displayPrefix,
        boolean test,
        Instant createdAt,
        Instant expiresAt,
        Instant revokedAt) {
    /**
     * @param createdAt when it was created
     * @param expiresAt null = never expires
     * @param keyHash the SHA-256 hash of the key (lower-case hex)
     * @param memberId the member
     * @param orgId the organization
     * @param revokedAt null = not revoked
     * @param test whether it is a test key
     */
    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(displayPrefix, "displayPrefix");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * Usable at {@code now}: not revoked and not expired (expiry is exclusive: at {@code expiresAt} it is dead).
     *
     * @param now the current instant
     */
    public boolean isActiveAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /**
     * @param at the instant
     */
    public ApiKey revokedAt(Instant at) {
        return new ApiKey(id, orgId, memberId, name, keyHash, displayPrefix, test, createdAt, expiresAt, at);
    }
}
