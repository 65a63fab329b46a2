package io.agentbilling.core.usecase;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.CreditGrant;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.ledger.LedgerTotals;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Recomputes every org's balance and totals from its entries and reports any drift: a gap or repeat in the entry
 * sequence, an entry whose {@code balanceAfter} does not chain, an account row that differs from the sum of its
 * entries, totals that do not match, or open grant lots that disagree with the account. Used by tests, the
 * operator endpoint and a metric; reads in bounded pages, one org at a time.
 */
public final class VerifyLedger {
    private static final int PAGE = 1_000;

    private final Transactions transactions;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     */
    public VerifyLedger(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions);
    }

    /** One inconsistency found. */
    public record Drift(OrgId orgId, String problem) {}

    public record Report(int orgsChecked, long entriesChecked, List<Drift> drifts) {
        /**
         * @return true when it did
         */
        public boolean clean() {
            return drifts.isEmpty();
        }
    }

    /**
     * Checks every org's ledger against its invariants (balance is the sum of entries, entries chain, totals agree).
     * Refuses nothing: what it finds is the report.
     *
     * @return the drifts found, if any
     */
    public Report execute() {
        List<Drift> drifts = new ArrayList<>();
        int orgs = 0;
        long entries = 0;
        OrgId after = null;
        while (true) {
            OrgId cursor = after;
            List<OrgId> page = transactions.read(stores -> stores.ledger().accountIds(cursor, PAGE));
            for (OrgId orgId : page) {
                entries += verifyOrg(orgId, drifts);
                orgs++;
            }
            if (page.size() < PAGE) {
                return new Report(orgs, entries, List.copyOf(drifts));
            }
            after = page.get(page.size() - 1);
        }
    }

    /**
     * Verifies one org; returns the number of entries read.
     *
     * @param orgId the organization
     */
    public long verifyOrg(OrgId orgId, List<Drift> drifts) {
        return transactions.read(stores -> {
            Account account = stores.ledger().findAccount(orgId).orElseThrow();
            Credits balance = Credits.ZERO;
            LedgerTotals totals = LedgerTotals.ZERO;
            long expectedSequence = 1;
            long count = 0;
            while (true) {
                List<LedgerEntry> page = stores.ledger().entriesInOrder(orgId, expectedSequence - 1, PAGE);
                for (LedgerEntry entry : page) {
                    if (entry.sequence() != expectedSequence) {
                        drifts.add(new Drift(orgId, "entry sequence " + entry.sequence() + " where "
                                + expectedSequence + " was expected"));
                        expectedSequence = entry.sequence();
                    }
                    balance = balance.plus(entry.amount());
                    totals = totals.with(entry.type(), entry.amount());
                    if (!entry.balanceAfter().equals(balance)) {
                        drifts.add(new Drift(orgId, "entry " + entry.sequence() + " has balanceAfter "
                                + entry.balanceAfter() + " but the entries sum to " + balance));
                        balance = entry.balanceAfter();
                    }
                    expectedSequence++;
                    count++;
                }
                if (page.size() < PAGE) {
                    break;
                }
            }
            if (!account.balance().equals(balance)) {
                drifts.add(new Drift(orgId, "balance " + account.balance() + " but entries sum to " + balance));
            }
            if (!account.totals().equals(totals)) {
                drifts.add(new Drift(orgId, "totals " + account.totals() + " but entries give " + totals));
            }
            if (account.lastSequence() != expectedSequence - 1) {
                drifts.add(new Drift(orgId, "account says " + account.lastSequence() + " entries, ledger has "
                        + (expectedSequence - 1)));
            }
            Credits openGrants = stores.ledger().grants(orgId).stream().filter(CreditGrant::isOpen)
                    .map(CreditGrant::remaining).reduce(Credits.ZERO, Credits::plus);
            if (!openGrants.equals(account.granted())) {
                drifts.add(new Drift(orgId, "open grants hold " + openGrants + " but the account tracks "
                        + account.granted()));
            }
            return count;
        });
    }
}
