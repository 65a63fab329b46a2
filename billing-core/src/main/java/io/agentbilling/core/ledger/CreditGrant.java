package io.agentbilling.core.ledger;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.Objects;

/**
 * A lot of granted (non-purchased) credit and how much of it is left. Purchased credit has no lot: it is whatever
 * of the balance the open grants do not account for ({@link Account#purchased()}).
 *
 * @param expiresAt null for a grant that never expires
 * @param closed    true once the grant is used up or has expired; a closed grant never changes again
 */
public record CreditGrant(
        GrantId id,
        OrgId orgId,
        GrantKind kind,
        Credits amount,
        Credits remaining,
        Instant grantedAt,
        Instant expiresAt,
        boolean closed) {
    /**
     * @param closed true once the grant is used up or has expired; a closed grant never changes again
     * @param expiresAt null for a grant that never expires
     * @param orgId the organization
     */
    public CreditGrant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(remaining, "remaining");
        Objects.requireNonNull(grantedAt, "grantedAt");
        if (remaining.isNegative() || remaining.compareTo(amount) > 0) {
            throw new IllegalArgumentException("remaining " + remaining + " outside [0, " + amount + "]");
        }
    }

    /**
     * @return true when it did
     */
    public boolean expires() {
        return expiresAt != null;
    }

    public boolean isOpen() {
        return !closed;
    }

    /**
     * A copy with another remaining.
     */
    public CreditGrant withRemaining(Credits newRemaining) {
        return new CreditGrant(id, orgId, kind, amount, newRemaining, grantedAt, expiresAt, closed);
    }

    public CreditGrant close() {
        return new CreditGrant(id, orgId, kind, amount, remaining, grantedAt, expiresAt, true);
    }
}
