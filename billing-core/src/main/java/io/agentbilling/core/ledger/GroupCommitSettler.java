package io.agentbilling.core.ledger;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Transactions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Group commit for settlements: callers enqueue their requests and wait; writer threads drain the queue and settle
 * whatever is waiting — up to {@code maxBatchRequests} — in ONE transaction through {@link PostingEngine}, so the cost
 * of a commit (and of moving a hot org's balance row) is shared by every request in the batch. Under light load a
 * batch is a single request and nothing waits; under heavy load batches grow by themselves. Every limit is bounded:
 * the queue (a full queue refuses at once with {@code UNAVAILABLE}, never blocks), the batch, the caller's wait.
 *
 * <p>A batch whose transaction fails is not allowed to sink good requests: unless the database is unavailable, its
 * requests are retried one transaction each, so only the request at fault fails. A caller gets a result only after its
 * transaction committed; a caller that times out is told so ({@code UNAVAILABLE}) and may retry with the same
 * idempotency key, which is safe whether or not its settlement landed. A timed-out request that no writer has taken
 * yet is dropped from the queue, so under overload the writers do not spend their time on callers that are gone, and
 * a "retry" answer mostly means "not written". Thread-safe.
 */
public final class GroupCommitSettler implements Settler, AutoCloseable {

    /** Limits; all must be positive. */
    public record Limits(int queueCapacity, int maxBatchRequests, int writerThreads, Duration callerTimeout) {
        public Limits {
            if (queueCapacity < 1 || maxBatchRequests < 1 || writerThreads < 1) {
                throw new IllegalArgumentException("group commit limits must be positive");
            }
            Objects.requireNonNull(callerTimeout, "callerTimeout");
        }

        public static Limits defaults() {
            return new Limits(20_000, 1_000, 2, Duration.ofSeconds(10));
        }
    }

    private record Pending(List<PostingEngine.Request> requests, CompletableFuture<List<PostingEngine.Result>> done) {}

    private final Transactions transactions;
    private final PostingEngine engine;
    private final Limits limits;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> writers = new ArrayList<>();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    public GroupCommitSettler(Transactions transactions, PostingEngine engine, Limits limits) {
        this.transactions = Objects.requireNonNull(transactions);
        this.engine = Objects.requireNonNull(engine);
        this.limits = Objects.requireNonNull(limits);
        this.queue = new ArrayBlockingQueue<>(limits.queueCapacity());
        for (int i = 0; i < limits.writerThreads(); i++) {
            Thread writer = new Thread(this::writeLoop, "settlement-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    @Override
    public List<PostingEngine.Result> settle(List<PostingEngine.Request> requests) {
        if (requests.size() > limits.maxBatchRequests()) {
            throw BillingException.invalid("events", "at most " + limits.maxBatchRequests() + " per call");
        }
        if (!open.get()) {
            throw BillingException.of(BillingError.UNAVAILABLE, "the server is shutting down; retry on another instance");
        }
        Pending pending = new Pending(List.copyOf(requests), new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw BillingException.of(BillingError.UNAVAILABLE, "settlement queue is full; retry shortly");
        }
        try {
            return pending.done().get(limits.callerTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // Abandon the request: a writer that has not taken it yet skips it (no settlement the caller was told
            // failed, and no work for nobody under overload). If a writer finished it meanwhile, that result stands.
            BillingException late = BillingException.of(BillingError.UNAVAILABLE,
                    "settlement did not complete in time; retry with the same idempotency key", e);
            if (pending.done().completeExceptionally(late)) {
                abandoned.incrementAndGet();
                throw late;
            }
            return settledResult(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BillingException.of(BillingError.UNAVAILABLE, "interrupted while settling", e);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private static List<PostingEngine.Result> settledResult(Pending pending) {
        try {
            return pending.done().getNow(null);
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static RuntimeException unwrap(ExecutionException e) {
        if (e.getCause() instanceof RuntimeException runtime) {
            return runtime;
        }
        return new IllegalStateException(e.getCause());
    }

    /** Calls whose caller gave up (timed out) before a writer took them, so they were never settled (for metrics). */
    public long abandonedCount() {
        return abandoned.get();
    }

    /** Batches committed so far (for metrics). */
    public long batchCount() {
        return batches.get();
    }

    /** Requests settled so far (for metrics). */
    public long settledCount() {
        return settled.get();
    }

    public int queued() {
        return queue.size();
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        Pending carried = null; // taken from the queue but too big for the last batch: first in the next one
        while (open.get() || !queue.isEmpty() || carried != null) {
            try {
                Pending first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int size = first.requests().size();
                // poll, never peek-then-poll: several writers drain the same queue.
                Pending next;
                while (size < limits.maxBatchRequests() && (next = queue.poll()) != null) {
                    if (size + next.requests().size() > limits.maxBatchRequests()) {
                        carried = next;
                        break;
                    }
                    batch.add(next);
                    size += next.requests().size();
                }
                commit(batch);
            } catch (InterruptedException e) {
                if (!open.get()) {
                    continue;
                }
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Pending> taken) {
        // A caller that timed out has completed its own future: leave its request out (it was told to retry).
        List<Pending> batch = taken.stream().filter(p -> !p.done().isDone()).toList();
        if (batch.isEmpty()) {
            return;
        }
        List<PostingEngine.Request> all = new ArrayList<>();
        batch.forEach(p -> all.addAll(p.requests()));
        try {
            List<PostingEngine.Result> results = transactions.inTransaction(stores -> engine.post(stores, all));
            batches.incrementAndGet();
            settled.addAndGet(all.size());
            int offset = 0;
            for (Pending p : batch) {
                p.done().complete(results.subList(offset, offset + p.requests().size()));
                offset += p.requests().size();
            }
        } catch (BillingException e) {
            if (e.error() == BillingError.UNAVAILABLE || batch.size() == 1) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            } else {
                batch.forEach(p -> commit(List.of(p)));
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(e);
            } else {
                batch.forEach(p -> commit(List.of(p)));
            }
        }
    }

    /**
     * Stops taking requests and lets the writers finish what is queued (graceful shutdown), waiting at most
     * {@code timeout}.
     */
    public void shutdown(Duration timeout) {
        open.set(false);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread writer : writers) {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                try {
                    writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        Pending left;
        while ((left = queue.poll()) != null) {
            left.done().completeExceptionally(
                    BillingException.of(BillingError.UNAVAILABLE, "the server shut down before settling; retry"));
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }
}
