package io.agentbilling.core.ledger;

import io.agentbilling.core.port.Transactions;
import java.util.List;
import java.util.Objects;

/**
 * Settles each call in its own unit of work; a request that fails the transaction is refused on its own while the
 * others commit ({@link IsolatedPosting}). The simplest {@link Settler}; thread-safe.
 */
public final class DirectSettler implements Settler {
    private final Transactions transactions;
    private final PostingEngine engine;

    public DirectSettler(Transactions transactions, PostingEngine engine) {
        this.transactions = Objects.requireNonNull(transactions);
        this.engine = Objects.requireNonNull(engine);
    }

    @Override
    public List<PostingEngine.Result> settle(List<PostingEngine.Request> requests) {
        return IsolatedPosting.post(transactions, engine, requests);
    }
}
