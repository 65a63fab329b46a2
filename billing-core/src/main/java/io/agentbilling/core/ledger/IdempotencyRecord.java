package io.agentbilling.core.ledger;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.Objects;

/**
 * A used idempotency key and the outcome it produced, kept forever for ledger writes. A replay with the same
 * fingerprint returns this outcome; another fingerprint is {@code idempotency_conflict}.
 *
 * @param entryId      the ledger entry the write produced; null when it moved no money (e.g. a BYOK model call)
 * @param amount       the signed amount written (zero when none)
 * @param balanceAfter the org's balance right after the write
 * @param resultRef    for writes whose result is not a ledger entry (a checkout session, a runtime meter): its id
 */
public record IdempotencyRecord(
        OrgId orgId,
        String key,
        String fingerprint,
        EntryId entryId,
        Credits amount,
        Credits balanceAfter,
        String resultRef,
        Instant createdAt) {
    /**
     * @param amount the signed amount written (zero when none)
     * @param balanceAfter the org's balance right after the write
     * @param createdAt when it was created
     * @param entryId the ledger entry the write produced; null when it moved no money (e.g. a BYOK model call)
     * @param fingerprint the digest of the request payload
     * @param orgId the organization
     * @param resultRef for writes whose result is not a ledger entry (a checkout session, a runtime meter): its id
     */
    public IdempotencyRecord {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(balanceAfter, "balanceAfter");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * A claim: the key taken for a fingerprint, its outcome not yet known.
     *
     * @param orgId the organization
     * @param fingerprint the digest of the request payload
     * @param at the instant
     */
    public static IdempotencyRecord claim(OrgId orgId, String key, String fingerprint, Instant at) {
        return new IdempotencyRecord(orgId, key, fingerprint, null, Credits.ZERO, Credits.ZERO, null, at);
    }

    public ScopedKey scopedKey() {
        return new ScopedKey(orgId, key);
    }

    /**
     * A copy with another oUTCome.
     */
    public IdempotencyRecord withOutcome(EntryId entry, Credits writtenAmount, Credits balance, String ref) {
        return new IdempotencyRecord(orgId, key, fingerprint, entry, writtenAmount, balance, ref, createdAt);
    }

    /** An idempotency key is scoped to its org. */
    public record ScopedKey(OrgId orgId, String key) {}
}
