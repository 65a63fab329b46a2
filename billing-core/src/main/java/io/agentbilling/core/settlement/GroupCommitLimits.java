package io.agentbilling.core.settlement;

import java.time.Duration;
import java.util.Objects;

/**
 * How settlements are coalesced into one transaction per batch (group commit): every limit is bounded, so a burst
 * queues up to {@code queueCapacity} calls and is refused beyond it ({@code UNAVAILABLE}, at once), never blocks.
 *
 * @param queueCapacity    calls that may wait, shared evenly by the writers' queues
 * @param maxBatchRequests settlement requests in one transaction; at least the largest batch call (1 000 events)
 * @param writerThreads    writers, each with its own queue and its own share of the orgs; each holds a database
 *                         connection while it writes
 * @param callerTimeout    how long a caller waits for its result before it is told {@code UNAVAILABLE} (and may
 *                         retry with the same idempotency key, which is safe whether or not the settlement landed)
 */
public record GroupCommitLimits(int queueCapacity, int maxBatchRequests, int writerThreads, Duration callerTimeout) {

    private static final GroupCommitLimits DEFAULTS = new GroupCommitLimits(20_000, 1_000, 2, Duration.ofSeconds(1));

    /**
     * @throws IllegalArgumentException when a limit is not positive
     */
    public GroupCommitLimits {
        if (queueCapacity < 1 || maxBatchRequests < 1 || writerThreads < 1) {
            throw new IllegalArgumentException("group commit limits must be positive");
        }
        Objects.requireNonNull(callerTimeout, "callerTimeout");
        if (callerTimeout.isNegative() || callerTimeout.isZero()) {
            throw new IllegalArgumentException("the caller timeout must be positive");
        }
    }

    /**
     * The defaults of the server and of every engine: 20 000 queued calls, 1 000 requests per transaction, two
     * writers, and a caller wait of 1 s (a settlement is answered within a second, or refused so that the caller
     * retries with the same key).
     *
     * @return the default limits
     */
    public static GroupCommitLimits defaults() {
        return DEFAULTS;
    }

    /**
     * These limits with another caller wait.
     *
     * @param timeout how long a caller waits for its result
     * @return a copy with {@code callerTimeout} replaced
     */
    public GroupCommitLimits withCallerTimeout(Duration timeout) {
        return new GroupCommitLimits(queueCapacity, maxBatchRequests, writerThreads, timeout);
    }
}
