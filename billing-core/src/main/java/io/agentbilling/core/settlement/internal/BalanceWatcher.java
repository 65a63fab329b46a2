package io.agentbilling.core.settlement.internal;

import io.agentbilling.core.ledger.AccountBook;
import io.agentbilling.core.port.Stores;
import java.time.Instant;
import java.util.List;

/**
 * Called inside the posting transaction after an org's entries are written, with the account locked, so that a
 * reaction to the balance (the auto top-up trigger) is decided exactly once per crossing and commits or rolls back
 * with the entries. Must not call out of the process.
 */
@FunctionalInterface
public interface BalanceWatcher {
    BalanceWatcher NONE = (stores, applied, now) -> { };

    /**
     * @param stores the stores of the unit of work
     * @param now the current instant
     */
    void afterPosting(Stores stores, AccountBook.Applied applied, Instant now);

    /**
     * Every org of a settlement batch at once, so that a watcher can read what it needs for all of them in one
     * query; by default one {@link #afterPosting} per org, in order.
     *
     * @param stores the stores of the unit of work
     * @param now the current instant
     */
    default void afterPostings(Stores stores, List<AccountBook.Applied> applied, Instant now) {
        applied.forEach(result -> afterPosting(stores, result, now));
    }
}
