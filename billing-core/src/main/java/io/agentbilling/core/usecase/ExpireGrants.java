package io.agentbilling.core.usecase;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The expiry sweep, run periodically by the server: every grant past its expiry leaves its unconsumed remainder as
 * one {@code expiry} entry. Bounded per run; safe to run concurrently on several instances (accounts are locked and
 * a closed grant never expires twice).
 */
public final class ExpireGrants {
    private final Transactions transactions;
    private final PostingEngine engine;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param engine the posting engine
     * @param clock the clock that tells the time
     */
    public ExpireGrants(Transactions transactions, PostingEngine engine, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions);
        this.engine = Objects.requireNonNull(engine);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Expires due grants of at most {@code maxOrgs} orgs; returns how many orgs changed.
     *
     * @param maxOrgs how many orgs at most, 1 or more
     * @return the number of orgs whose ledger changed
     */
    public int execute(int maxOrgs) {
        if (maxOrgs < 1) {
            throw new IllegalArgumentException("maxOrgs must be >= 1");
        }
        List<OrgId> due = transactions.read(stores -> stores.ledger().orgsWithGrantsDue(clock.instant(), maxOrgs));
        if (due.isEmpty()) {
            return 0;
        }
        return transactions.inTransaction(stores -> engine.expireDueGrants(stores, due));
    }
}
