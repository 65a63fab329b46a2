package io.agentbilling.core.port;

import java.util.function.Function;

/**
 * The unit of work: runs {@code work} in one database transaction with every store bound to it, committing when it
 * returns and rolling back when it throws. Work must have no side effects outside the stores (no payment calls), so
 * that an adapter may retry it after a serialization failure or deadlock.
 */
public interface Transactions {

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws.
     *
     * @param work the work to run
     * @param <T> the type of the result
     * @return what the work returned
     */
    <T> T inTransaction(Function<Stores, T> work);

    /**
     * A read-only unit of work; adapters may run it on a read-only transaction.
     *
     * @param work the work to run
     * @param <T> the type of the result
     * @return what the work returned
     */
    default <T> T read(Function<Stores, T> work) {
        return inTransaction(work);
    }

    /**
     * A read of one value that needs no snapshot across statements (one store call that is one statement, such as
     * a committed balance): adapters may run it without opening a transaction at all, which saves the round trips of
     * beginning, configuring and ending one on the hottest reads. By default the same as {@link #read}.
     *
     * @param work the work to run
     * @param <T> the type of the result
     */
    default <T> T readOne(Function<Stores, T> work) {
        return read(work);
    }
}
