package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.PostingEngine;
import io.agentbilling.core.port.Transactions;
import java.util.List;
import java.util.Objects;

/**
 * Where settlement requests go: one call posts all of its requests in one unit of work through one
 * {@link PostingEngine#post} call and returns one result per request, in order. The single-settlement use cases and
 * {@link SettleUsageBatch} share it, so that a coalescing implementation (group commit: concurrent single settlements
 * drained into one batch) can replace {@link #direct} without touching them. Implementations are thread-safe.
 */
@FunctionalInterface
public interface SettlementWriter {

    List<PostingEngine.Result> post(List<PostingEngine.Request> requests);

    /** Posts one request; a rejection is thrown as its {@link io.agentbilling.core.error.BillingException}. */
    default SettlementResult settle(PostingEngine.Request request) {
        return SettlementResult.of(post(List.of(request)).get(0));
    }

    /** One transaction per call. */
    static SettlementWriter direct(Transactions transactions, PostingEngine engine) {
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(engine, "engine");
        return requests -> transactions.inTransaction(stores -> engine.post(stores, requests));
    }
}
