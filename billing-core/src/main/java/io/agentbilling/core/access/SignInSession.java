package io.agentbilling.core.access;

import java.time.Instant;
import java.util.Objects;

/**
 * A sign-in session: someone presented an API key once and holds a session token instead, so the key itself never
 * has to be kept (in a browser, say). The session acts with the authority of that key's member, and only while the key
 * does: it ends when it expires, when it is ended (sign-out), or as soon as the key is revoked or expires — which is
 * checked each time the session is used, not copied into the session. Only the token's SHA-256 hash is stored.
 *
 * @param tokenHash SHA-256 of the token, lower-case hex (see {@link SignInSessions#hash})
 * @param keyId     the API key the session was opened with
 * @param endedAt   null until the session is ended
 */
public record SignInSession(
        String tokenHash,
        OrgId orgId,
        MemberId memberId,
        ApiKeyId keyId,
        Instant createdAt,
        Instant expiresAt,
        Instant endedAt) {
    /**
     * @param createdAt when it was created
     * @param endedAt null until the session is ended
     * @param expiresAt when it expires; null = never
     * @param keyId the API key the session was opened with
     * @param memberId the member
     * @param orgId the organization
     * @param tokenHash SHA-256 of the token, lower-case hex (see {@link SignInSessions#hash})
     */
    public SignInSession {
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("a session must expire after it was created");
        }
    }

    /**
     * Neither ended nor expired at {@code now} (expiry is exclusive, as for API keys).
     *
     * @param now the current instant
     */
    public boolean isOpenAt(Instant now) {
        return endedAt == null && now.isBefore(expiresAt);
    }
}
