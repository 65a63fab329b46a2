package io.agentbilling.core.settlement.internal;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.AccountBook;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.port.Stores;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the spend controls do inside a posting transaction, beside the {@link BalanceWatcher}: refuse a request
 * before anything is written (a hold or a key that is not the org's), and once the batch's entries, balances and
 * usage rollups are written — with the accounts still locked — capture the holds the requests name, add their spend
 * to the per-key counters and record the events the batch causes (a balance crossing a threshold, a budget
 * reaching 80% or 100%, a top-up landing) in the outbox. Both run in the posting transaction, so what they write
 * commits or rolls back with the entries; they must not call out of the process.
 */
public interface SettlementHook {
    SettlementHook NONE = (stores, accounts, requests, now) -> { };

    /** A request applied for the first time (not a replay), and the record of its outcome. */
    record Applied(PostingEngine.Request request, IdempotencyRecord record) {
        public Applied {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * Refusals of requests that would otherwise be applied, by their index in {@code requests}; called with the
     * accounts locked, before any key is claimed.
     *
     * @param candidates indexes of the requests still valid
     */
    default Map<Integer, BillingException> refusals(Stores stores, List<PostingEngine.Request> requests,
                                                    List<Integer> candidates) {
        return Map.of();
    }

    /**
     * Called once per batch that changed a ledger: every org's entries ({@code accounts}, as for the balance
     * watcher) and every request applied in it, in request order ({@code requests}; empty when the engine only
     * expired grants).
     */
    void afterPostings(Stores stores, List<AccountBook.Applied> accounts, List<Applied> requests, Instant now);
}
