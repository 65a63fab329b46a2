package io.agentbilling.core.settlement;

/**
 * What the settlement path has done so far, for metrics (the server exports these to Prometheus). Counters only grow;
 * read them at any time from any thread. Obtained from {@code Billing.settlementMetrics()}.
 */
public interface SettlementMetrics {

    /**
     * Whether concurrent settlements are coalesced (group commit) or each call commits alone.
     *
     * @return true with group commit
     */
    boolean groupCommit();

    /**
     * Settlement requests written so far (an event of a batch call counts as one).
     *
     * @return the number of requests settled, applied or refused on their own
     */
    long settledCount();

    /**
     * Settlement transactions committed so far; with group commit one holds the requests of many callers.
     *
     * @return the number of batches
     */
    long batchCount();

    /**
     * Calls waiting for a writer now; always 0 without group commit.
     *
     * @return the queue depth
     */
    int queued();

    /**
     * Calls dropped unwritten because their caller had timed out before a writer took them; always 0 without group
     * commit.
     *
     * @return the number of abandoned calls
     */
    long abandonedCount();
}
