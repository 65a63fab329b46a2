package io.agentbilling.core.usecase;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spendcontrol.EventOutbox;
import io.agentbilling.core.webhooks.Events;
import io.agentbilling.core.spend.UtcPeriods;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Marks holds past their time expired and records {@code hold.expired} for each, in one transaction per org: the
 * sweep of the background jobs. An expired hold reserves nothing from the moment its time runs out whether or not
 * this has run (every read of holds compares with the clock), and an admission expires the org's due holds itself
 * first; the sweep reaches orgs nobody asks about and sends the events. Safe on several instances at once (the rows
 * are locked and only active ones change). Thread-safe.
 */
public final class ExpireHolds {
    private final Transactions transactions;
    private final Clock clock;
    private final EventOutbox outbox;

    public ExpireHolds(Transactions transactions, Clock clock, EventOutbox outbox) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /**
     * @param maxOrgs orgs to sweep at most in this run, 1 or more
     * @return the holds marked expired
     */
    public int execute(int maxOrgs) {
        if (maxOrgs < 1) {
            throw new IllegalArgumentException("maxOrgs must be >= 1");
        }
        Instant asOf = UtcPeriods.now(clock);
        List<OrgId> orgs = transactions.read(stores -> stores.spend().orgsWithHoldsDue(asOf, maxOrgs));
        int expired = 0;
        for (OrgId org : orgs) {
            expired += transactions.inTransaction(stores -> expireDue(stores, outbox, org, UtcPeriods.now(clock)));
        }
        return expired;
    }

    /** Expires the org's holds due at {@code now}, in the caller's transaction; returns how many. */
    static int expireDue(Stores stores, EventOutbox outbox, OrgId orgId, Instant now) {
        List<Hold> due = stores.spend().lockHoldsDue(orgId, now);
        for (Hold hold : due) {
            Hold expired = hold.expire(now);
            stores.spend().updateHold(expired);
            outbox.record(stores, Events.holdExpired(expired, now));
        }
        return due.size();
    }
}
