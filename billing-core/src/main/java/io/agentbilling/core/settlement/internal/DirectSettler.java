package io.agentbilling.core.settlement.internal;

import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.settlement.SettlementMetrics;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Settles each call in its own unit of work; a request that fails the transaction is refused on its own while the
 * others commit ({@link IsolatedPosting}). The simplest {@link Settler}; thread-safe.
 */
public final class DirectSettler implements Settler, SettlementMetrics {
    private final Transactions transactions;
    private final PostingEngine engine;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();

    /**
     * @param transactions the unit of work
     * @param engine the posting engine
     */
    public DirectSettler(Transactions transactions, PostingEngine engine) {
        this.transactions = Objects.requireNonNull(transactions);
        this.engine = Objects.requireNonNull(engine);
    }

    @Override
    public List<PostingEngine.Result> settle(List<PostingEngine.Request> requests) {
        List<PostingEngine.Result> results = IsolatedPosting.post(transactions, engine, requests);
        batches.incrementAndGet();
        settled.addAndGet(results.size());
        return results;
    }

    @Override
    public boolean groupCommit() {
        return false;
    }

    @Override
    public long settledCount() {
        return settled.get();
    }

    @Override
    public long batchCount() {
        return batches.get();
    }

    @Override
    public int queued() {
        return 0;
    }

    @Override
    public long abandonedCount() {
        return 0;
    }
}
