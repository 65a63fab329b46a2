package io.agentbilling.core.ledger;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.Objects;

/**
 * One intended ledger write, before it is applied: the entry to append (if {@code amount} is not zero) and the
 * idempotency key that makes it happen at most once per org. Built by the factories, one per kind of write:
 * {@link #usage}, {@link #entry}, {@link #grant}, {@link #expiry}.
 *
 * @param memberId       the member whose usage this is; null for org-level entries
 * @param text           resource, description and reference of the entry
 * @param fingerprint    a digest of the request payload; the same key with another fingerprint is a conflict
 * @param grantKind      set for {@code grant} / {@code signup_grant}: the lot this credit opens
 * @param grantExpiresAt for grants: when the unconsumed remainder expires; null = never
 * @param expiringGrant  for {@code expiry}: the grant whose remainder leaves
 */
public record Posting(
        OrgId orgId,
        EntryType type,
        Credits amount,
        MemberId memberId,
        EntryText text,
        String idempotencyKey,
        String fingerprint,
        GrantKind grantKind,
        Instant grantExpiresAt,
        GrantId expiringGrant) {
    /** The longest idempotency key the ledger keeps. */
    public static final int MAX_KEY_LENGTH = 255;

    /**
     * @param fingerprint the digest of the request payload
     * @param idempotencyKey the caller's idempotency key
     * @param memberId the member
     * @param orgId the organization
     * @throws IllegalArgumentException for a posting the ledger cannot mean: a key out of bounds, an amount of the
     *                                  wrong sign for its type, grant or expiry details on the wrong type
     */
    public Posting {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("idempotency key must have 1.." + MAX_KEY_LENGTH + " characters");
        }
        if (!amount.isZero() && !type.allowsSign(Long.signum(amount.micros()))) {
            throw new IllegalArgumentException(type.wireName() + " posting cannot have amount " + amount);
        }
        if (type.opensGrant() != (grantKind != null)) {
            throw new IllegalArgumentException("grant kind is required for grants and only for grants");
        }
        if ((type == EntryType.EXPIRY) != (expiringGrant != null)) {
            throw new IllegalArgumentException("an expiry names its grant, and only an expiry does");
        }
        text = text == null ? EntryText.NONE : text;
    }

    /**
     * A member's (or the org's) usage: a debit of {@code charge}, zero for usage that costs nothing (BYOK).
     *
     * @param memberId       whose usage; null for the org's
     * @param charge         what the usage costs, zero or positive; the entry's amount is its negation
     * @param idempotencyKey the caller's key
     * @param fingerprint    digest of the request's payload
     * @param orgId the organization
     * @return a {@code usage} posting
     */
    public static Posting usage(OrgId orgId, MemberId memberId, Credits charge, EntryText text, String idempotencyKey,
                                String fingerprint) {
        if (charge.isNegative()) {
            throw new IllegalArgumentException("a usage charge is zero or positive: " + charge);
        }
        return new Posting(orgId, EntryType.USAGE, charge.negate(), memberId, text, idempotencyKey, fingerprint, null,
                null, null);
    }

    /**
     * An org-level write that is neither a grant nor an expiry: a top-up, an auto top-up, a refund, a reversal or an
     * adjustment.
     *
     * @param amount         signed as the type requires
     * @param idempotencyKey the key that makes it happen once
     * @param fingerprint    digest of the request's payload
     * @param orgId the organization
     * @return a posting of {@code type}
     */
    public static Posting entry(OrgId orgId, EntryType type, Credits amount, EntryText text, String idempotencyKey,
                                String fingerprint) {
        if (type.opensGrant() || type == EntryType.EXPIRY) {
            throw new IllegalArgumentException(type.wireName() + " postings have factories of their own");
        }
        return new Posting(orgId, type, amount, null, text, idempotencyKey, fingerprint, null, null, null);
    }

    /**
     * Grant credit: opens a lot that is consumed before purchased credit and expires at {@code expiresAt}.
     *
     * @param expiresAt      null = never
     * @param idempotencyKey the key that makes it happen once
     * @param fingerprint    digest of the request's payload
     * @param orgId the organization
     * @return a {@code grant} or {@code signup_grant} posting
     */
    public static Posting grant(OrgId orgId, GrantKind kind, Credits amount, Instant expiresAt, String description,
                                String idempotencyKey, String fingerprint) {
        EntryType type = kind == GrantKind.SIGNUP ? EntryType.SIGNUP_GRANT : EntryType.GRANT;
        return new Posting(orgId, type, amount, null, EntryText.described(description), idempotencyKey, fingerprint,
                kind, expiresAt, null);
    }

    /**
     * The unconsumed remainder of a grant leaving at its expiry.
     *
     * @param grant an open grant past its expiry
     * @return an {@code expiry} posting keyed by the grant, so that it happens once
     */
    public static Posting expiry(CreditGrant grant) {
        String key = "expiry:" + grant.id();
        return new Posting(grant.orgId(), EntryType.EXPIRY, grant.remaining().negate(), null,
                new EntryText("", "unused grant credit expired", grant.id().toString()), key, key, null, null,
                grant.id());
    }
}
