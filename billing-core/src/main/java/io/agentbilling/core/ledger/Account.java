package io.agentbilling.core.ledger;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * An org's ledger state: the balance (one row per org in the database), the running totals, the sequence number of
 * the last entry, and the grants that still hold credit. Immutable; {@link AccountBook} derives the next state.
 */
public record Account(OrgId orgId, Credits balance, LedgerTotals totals, long lastSequence, List<CreditGrant> openGrants) {
    /**
     * @param orgId the organization
     */
    public Account {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(totals, "totals");
        openGrants = openGrants.stream().sorted(Comparator.comparing(g -> g.id().value())).toList();
        if (!totals.impliedBalance().equals(balance)) {
            throw new IllegalStateException("ledger identity broken for " + orgId + ": balance " + balance
                    + " but totals imply " + totals.impliedBalance());
        }
    }

    /**
     * @param orgId the organization
     */
    public static Account empty(OrgId orgId) {
        return new Account(orgId, Credits.ZERO, LedgerTotals.ZERO, 0, List.of());
    }

    /**
     * The credit in open grants.
     */
    public Credits granted() {
        return openGrants.stream().map(CreditGrant::remaining).reduce(Credits.ZERO, Credits::plus);
    }

    /**
     * Purchased credit: what the open grants do not account for. Negative when usage has run past all credit.
     */
    public Credits purchased() {
        return balance.minus(granted());
    }

    /**
     * True once the org's sign-up credit is fully consumed or expired (or it never had any).
     *
     * @return true when it did
     */
    public boolean freeCreditsUsed() {
        return openGrants.stream().noneMatch(g -> g.kind() == GrantKind.SIGNUP && g.remaining().isPositive());
    }
}
