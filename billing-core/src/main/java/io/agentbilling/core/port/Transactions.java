package io.agentbilling.core.port;

import java.util.function.Function;

/**
 * The unit of work: runs {@code work} in one database transaction with every store bound to it, committing when it
 * returns and rolling back when it throws. Work must have no side effects outside the stores (no payment calls), so
 * that an adapter may retry it after a serialization failure or deadlock.
 */
public interface Transactions {

    <T> T inTransaction(Function<Stores, T> work);

    /** A read-only unit of work; adapters may run it on a read-only transaction. */
    default <T> T read(Function<Stores, T> work) {
        return inTransaction(work);
    }
}
