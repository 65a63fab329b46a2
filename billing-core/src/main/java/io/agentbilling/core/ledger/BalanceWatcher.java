package io.agentbilling.core.ledger;

import io.agentbilling.core.port.Stores;
import java.time.Instant;

/**
 * Called inside the posting transaction after an org's entries are written, with the account locked, so that a
 * reaction to the balance (the auto top-up trigger) is decided exactly once per crossing and commits or rolls back
 * with the entries. Must not call out of the process.
 */
@FunctionalInterface
public interface BalanceWatcher {
    BalanceWatcher NONE = (stores, applied, now) -> { };

    void afterPosting(Stores stores, AccountBook.Applied applied, Instant now);
}
