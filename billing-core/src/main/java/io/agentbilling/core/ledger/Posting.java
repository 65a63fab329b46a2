package io.agentbilling.core.ledger;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.Objects;

/**
 * One intended ledger write, before it is applied: the entry to append (if {@code amount} is not zero) and the
 * idempotency key that makes it happen at most once per org.
 *
 * @param grantKind      set for {@code grant} / {@code signup_grant}: the lot this credit opens
 * @param grantExpiresAt for grants: when the unconsumed remainder expires; null = never
 * @param expiringGrant  for {@code expiry}: the grant whose remainder leaves
 * @param fingerprint    a digest of the request payload; the same key with another fingerprint is a conflict
 */
public record Posting(
        OrgId orgId,
        EntryType type,
        Credits amount,
        MemberId memberId,
        String resource,
        String description,
        String referenceId,
        String idempotencyKey,
        String fingerprint,
        GrantKind grantKind,
        Instant grantExpiresAt,
        GrantId expiringGrant) {
    public static final int MAX_KEY_LENGTH = 255;

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
        resource = resource == null ? "" : resource;
        description = description == null ? "" : description;
        referenceId = referenceId == null ? "" : referenceId;
    }

    /** A debit or credit that is not a grant or an expiry (usage, top-up, refund, adjustment, reversal). */
    public static Posting of(OrgId orgId, EntryType type, Credits amount, MemberId memberId, String resource,
                             String description, String referenceId, String idempotencyKey, String fingerprint) {
        return new Posting(orgId, type, amount, memberId, resource, description, referenceId, idempotencyKey,
                fingerprint, null, null, null);
    }

    public static Posting grant(OrgId orgId, GrantKind kind, Credits amount, Instant expiresAt, String description,
                                String idempotencyKey, String fingerprint) {
        EntryType type = kind == GrantKind.SIGNUP ? EntryType.SIGNUP_GRANT : EntryType.GRANT;
        return new Posting(orgId, type, amount, null, "", description, "", idempotencyKey, fingerprint, kind,
                expiresAt, null);
    }

    public static Posting expiry(CreditGrant grant) {
        String key = "expiry:" + grant.id();
        return new Posting(grant.orgId(), EntryType.EXPIRY, grant.remaining().negate(), null, "",
                "unused grant credit expired", grant.id().toString(), key, key, null, null, grant.id());
    }
}
