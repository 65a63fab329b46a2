package io.agentbilling.client.service;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Opens a sandbox's runtime meter ({@code POST …/sandbox-runtime/{sandboxId}/start}).
 *
 * @param startedAt when the sandbox started; null = now (give it, so a retry repeats the same payload)
 * @param holdId    a hold to bind to the meter: its settlements capture it in parts and the final one closes it;
 *                  null for none
 */
public record SandboxStart(UUID orgId, UUID memberId, String size, Instant startedAt, String idempotencyKey,
                           UUID holdId) {
    public SandboxStart {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(size, "size");
    }

    /** A meter bound to no hold, as before spend controls. */
    public SandboxStart(UUID orgId, UUID memberId, String size, Instant startedAt, String idempotencyKey) {
        this(orgId, memberId, size, startedAt, idempotencyKey, null);
    }

    /**
     * Creates one of the given values.
     *
     * @param orgId the organization
     * @param memberId the member
     * @param size the sandbox size
     */
    public static SandboxStart of(UUID orgId, UUID memberId, String size) {
        return new SandboxStart(orgId, memberId, size, null, null);
    }

    /**
     * A copy with another started at.
     *
     * @param at the instant
     */
    public SandboxStart withStartedAt(Instant at) {
        return new SandboxStart(orgId, memberId, size, at, idempotencyKey, holdId);
    }

    /**
     * A copy with another idempotency key.
     */
    public SandboxStart withIdempotencyKey(String key) {
        return new SandboxStart(orgId, memberId, size, startedAt, key, holdId);
    }

    /**
     * A copy binding this hold to the meter.
     *
     * @param hold the hold's id; null for none
     */
    public SandboxStart withHoldId(UUID hold) {
        return new SandboxStart(orgId, memberId, size, startedAt, idempotencyKey, hold);
    }
}
