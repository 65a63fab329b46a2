package io.agentbilling.core.spend;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.Objects;

/**
 * Credit reserved by an admission ({@code POST /v1/internal/billing/holds}) for work not yet settled. While active
 * and not past {@code expiresAt} it takes {@link #reserved()} out of the org's available credit and out of every
 * limit that applied to it (the member's budget, the key's cap). A settlement naming the hold captures it: the
 * actual amount is charged, whatever it is, and the rest is released. Immutable; each transition returns the next
 * state.
 *
 * @param memberId       the member whose budget the hold counts against; null for none
 * @param apiKeyId       the API key whose cap the hold counts against; null for none
 * @param amount         what was reserved, positive
 * @param captured       what settlements have charged against the hold so far (a sandbox's interim settlements
 *                       capture in parts; any other settlement captures once, for good)
 * @param closedAt       when the hold left {@code ACTIVE}; null while active
 * @param idempotencyKey the caller's key: the same key with the same request answers this hold again
 * @param fingerprint    digest of the request that placed it
 * @param sandboxId      the sandbox meter the hold was bound to at its start, whose settlements capture it; null
 */
public record Hold(
        HoldId id,
        OrgId orgId,
        MemberId memberId,
        ApiKeyId apiKeyId,
        Credits amount,
        Credits captured,
        HoldStatus status,
        Instant createdAt,
        Instant expiresAt,
        Instant closedAt,
        String idempotencyKey,
        String fingerprint,
        String sandboxId) {
    public Hold {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(captured, "captured");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (!amount.isPositive() || captured.isNegative()) {
            throw new IllegalArgumentException("a hold reserves a positive amount and captures none or more");
        }
        if (!expiresAt.isAfter(createdAt)) {
            throw new IllegalArgumentException("a hold expires after it is placed");
        }
        if ((status == HoldStatus.ACTIVE) != (closedAt == null)) {
            throw new IllegalArgumentException("a hold is closed exactly when it is no longer active");
        }
    }

    /**
     * A new, active hold.
     *
     * @return a hold that has captured nothing
     */
    public static Hold place(HoldId id, OrgId orgId, MemberId memberId, ApiKeyId apiKeyId, Credits amount,
                             Instant at, Instant expiresAt, String idempotencyKey, String fingerprint) {
        return new Hold(id, orgId, memberId, apiKeyId, amount, Credits.ZERO, HoldStatus.ACTIVE, at, expiresAt, null,
                idempotencyKey, fingerprint, null);
    }

    /** Whether the hold still reserves credit at {@code now}: active and not past its expiry (exclusive). */
    public boolean isActiveAt(Instant now) {
        return status == HoldStatus.ACTIVE && now.isBefore(expiresAt);
    }

    /** Active in the store, but its time has run out: it reserves nothing and is due to be marked expired. */
    public boolean isDueToExpireAt(Instant now) {
        return status == HoldStatus.ACTIVE && !now.isBefore(expiresAt);
    }

    /** What the hold keeps out of available credit while active: its amount less what was captured, never below 0. */
    public Credits reserved() {
        return Credits.max(Credits.ZERO, amount.minus(captured));
    }

    /** What the hold reserves at {@code now}: {@link #reserved()} while active, else nothing. */
    public Credits reservedAt(Instant now) {
        return isActiveAt(now) ? reserved() : Credits.ZERO;
    }

    /**
     * A settlement charged {@code charge} against this hold. A final capture closes it (the rest is released); an
     * interim one (a sandbox that keeps running) lowers what it still reserves.
     *
     * @param charge what the settlement charged, zero or more; may exceed the hold
     * @param finalCapture whether this settlement is the last against the hold
     */
    public Hold capture(Credits charge, boolean finalCapture, Instant at) {
        requireActive("capture");
        if (charge.isNegative()) {
            throw new IllegalArgumentException("a capture charges zero or more");
        }
        Credits total = captured.plus(charge);
        return new Hold(id, orgId, memberId, apiKeyId, amount, total, finalCapture ? HoldStatus.CAPTURED : status,
                createdAt, expiresAt, finalCapture ? at : null, idempotencyKey, fingerprint, sandboxId);
    }

    public Hold release(Instant at) {
        requireActive("release");
        return close(HoldStatus.RELEASED, at);
    }

    public Hold expire(Instant at) {
        requireActive("expire");
        return close(HoldStatus.EXPIRED, at);
    }

    /** This hold bound to a sandbox meter, whose settlements then capture it. */
    public Hold boundTo(String newSandboxId) {
        requireActive("bind");
        return new Hold(id, orgId, memberId, apiKeyId, amount, captured, status, createdAt, expiresAt, closedAt,
                idempotencyKey, fingerprint, Objects.requireNonNull(newSandboxId, "sandboxId"));
    }

    private Hold close(HoldStatus to, Instant at) {
        return new Hold(id, orgId, memberId, apiKeyId, amount, captured, to, createdAt, expiresAt,
                Objects.requireNonNull(at, "at"), idempotencyKey, fingerprint, sandboxId);
    }

    private void requireActive(String what) {
        if (status != HoldStatus.ACTIVE) {
            throw new IllegalStateException("cannot " + what + " a hold that is " + status.wireName() + ": " + id);
        }
    }
}
