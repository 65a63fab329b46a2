package io.agentbilling.testkit;

import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The unit of work over the in-memory stores. Transactions are serialized by one lock (so the in-memory adapter is
 * trivially free of lost updates) and roll back through an undo journal: every store mutation registers how to
 * undo itself, and a unit of work that throws runs the journal backwards. A nested call joins the outer unit of
 * work, as Jdbi's nested callbacks do. Thread-safe.
 */
public final class InMemoryTransactions implements Transactions {
    private final ReentrantLock lock = new ReentrantLock(true);
    private final ThreadLocal<Deque<Runnable>> journal = new ThreadLocal<>();
    private final InMemoryStores stores;

    public InMemoryTransactions() {
        this.stores = new InMemoryStores(this);
    }

    public InMemoryStores stores() {
        return stores;
    }

    @Override
    public <T> T inTransaction(Function<Stores, T> work) {
        if (journal.get() != null) {
            return work.apply(stores);
        }
        lock.lock();
        Deque<Runnable> undo = new ArrayDeque<>();
        journal.set(undo);
        try {
            T result = work.apply(stores);
            undo.clear();
            return result;
        } catch (RuntimeException | Error e) {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
            throw e;
        } finally {
            journal.remove();
            lock.unlock();
        }
    }

    /** Registers how to undo a mutation just made; fails when called outside a unit of work. */
    void onRollback(Runnable undoAction) {
        Deque<Runnable> undo = journal.get();
        if (undo == null) {
            throw new IllegalStateException("stores are used outside a unit of work");
        }
        undo.push(undoAction);
    }

    void requireTransaction() {
        if (journal.get() == null) {
            throw new IllegalStateException("stores are used outside a unit of work");
        }
    }
}
