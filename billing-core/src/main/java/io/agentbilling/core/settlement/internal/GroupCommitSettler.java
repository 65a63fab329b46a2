package io.agentbilling.core.settlement.internal;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.settlement.GroupCommitLimits;
import io.agentbilling.core.settlement.SettlementMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * <p><b>Lanes.</b> Each writer has its own queue and owns a fixed share of the orgs (by the org id's hash), so two
 * writers never lock the same account row: their transactions commit side by side instead of one waiting for the
 * other's commit (which, with one shared queue, made a second writer mostly wait). A call whose requests belong to
 * several lanes (a batch of many orgs) is split, and the caller waits for every part; the parts commit in separate
 * transactions, which changes nothing for the caller: each request still gets its own result, after its commit. When
 * one lane's queue is full the call is refused ({@code UNAVAILABLE}) although parts already queued may still commit:
 * as after a timeout, a retry with the same idempotency keys is safe either way.
 *
 * <p>A batch whose transaction fails is not allowed to sink good requests, whoever sent them: unless the database is
 * unavailable, it is split in halves and retried ({@link IsolatedPosting}), down to the one request at fault, which
 * is refused with its own error while every other request, of this caller or another, commits. A caller gets a result
 * only after its transaction committed; a caller that times out is told so ({@code UNAVAILABLE}) and may retry with
 * the same idempotency key, which is safe whether or not its settlement landed. A timed-out request that no writer has
 * taken yet is dropped from the queue, so under overload the writers do not spend their time on callers that are
 * gone, and a "retry" answer mostly means "not written". Thread-safe.
 */
public final class GroupCommitSettler implements Settler, SettlementMetrics, AutoCloseable {

    private record Pending(List<PostingEngine.Request> requests, CompletableFuture<List<PostingEngine.Result>> done) {}

    private final Transactions transactions;
    private final PostingEngine engine;
    private final GroupCommitLimits limits;
    private final List<BlockingQueue<Pending>> lanes = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    /**
     * Creates a group commit settler.
     *
     * @param transactions the unit of work
     * @param engine the posting engine
     */
    public GroupCommitSettler(Transactions transactions, PostingEngine engine, GroupCommitLimits limits) {
        this.transactions = Objects.requireNonNull(transactions);
        this.engine = Objects.requireNonNull(engine);
        this.limits = Objects.requireNonNull(limits);
        int laneCapacity = Math.max(1, limits.queueCapacity() / limits.writerThreads());
        for (int i = 0; i < limits.writerThreads(); i++) {
            BlockingQueue<Pending> lane = new ArrayBlockingQueue<>(laneCapacity);
            lanes.add(lane);
            Thread writer = new Thread(() -> writeLoop(lane), "settlement-writer-" + i);
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
        if (requests.isEmpty()) {
            return List.of();
        }
        long deadline = System.nanoTime() + limits.callerTimeout().toNanos();
        int[] laneOf = new int[requests.size()];
        boolean oneLane = true;
        for (int i = 0; i < requests.size(); i++) {
            laneOf[i] = lane(requests.get(i).posting().orgId());
            oneLane &= laneOf[i] == laneOf[0];
        }
        if (oneLane) {
            return await(enqueue(laneOf[0], List.copyOf(requests)), deadline);
        }
        return settleAcrossLanes(requests, laneOf, deadline);
    }

    /** Splits the call by lane, enqueues every part before waiting for any, and puts the results back in order. */
    private List<PostingEngine.Result> settleAcrossLanes(List<PostingEngine.Request> requests, int[] laneOf,
                                                         long deadline) {
        List<List<PostingEngine.Request>> parts = new ArrayList<>();
        List<List<Integer>> positions = new ArrayList<>();
        for (int lane = 0; lane < lanes.size(); lane++) {
            parts.add(new ArrayList<>());
            positions.add(new ArrayList<>());
        }
        for (int i = 0; i < requests.size(); i++) {
            parts.get(laneOf[i]).add(requests.get(i));
            positions.get(laneOf[i]).add(i);
        }
        Pending[] pending = new Pending[lanes.size()];
        for (int lane = 0; lane < lanes.size(); lane++) {
            if (!parts.get(lane).isEmpty()) {
                pending[lane] = enqueue(lane, List.copyOf(parts.get(lane)));
            }
        }
        PostingEngine.Result[] results = new PostingEngine.Result[requests.size()];
        for (int lane = 0; lane < lanes.size(); lane++) {
            if (pending[lane] == null) {
                continue;
            }
            List<PostingEngine.Result> partResults;
            try {
                partResults = await(pending[lane], deadline);
            } catch (RuntimeException e) {
                // The caller is told to retry: parts no writer has taken yet are dropped, as a timed-out call is.
                for (Pending part : pending) {
                    if (part != null) {
                        part.done().completeExceptionally(e);
                    }
                }
                throw e;
            }
            List<Integer> at = positions.get(lane);
            for (int n = 0; n < at.size(); n++) {
                results[at.get(n)] = partResults.get(n);
            }
        }
        return Arrays.asList(results);
    }

    private int lane(OrgId orgId) {
        return Math.floorMod(orgId.value().hashCode(), lanes.size());
    }

    private Pending enqueue(int lane, List<PostingEngine.Request> requests) {
        Pending pending = new Pending(requests, new CompletableFuture<>());
        if (!lanes.get(lane).offer(pending)) {
            throw BillingException.of(BillingError.UNAVAILABLE, "settlement queue is full; retry shortly");
        }
        return pending;
    }

    private static List<PostingEngine.Result> await(Pending pending, long deadline) {
        try {
            return pending.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Abandon the request: a writer that has not taken it yet skips it (no settlement the caller was told
            // failed, and no work for nobody under overload). If a writer finished it meanwhile, that result stands.
            BillingException late = BillingException.of(BillingError.UNAVAILABLE,
                    "settlement did not complete in time; retry with the same idempotency key", e);
            if (pending.done().completeExceptionally(late)) {
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

    @Override
    public boolean groupCommit() {
        return true;
    }

    @Override
    public long abandonedCount() {
        return abandoned.get();
    }

    @Override
    public long batchCount() {
        return batches.get();
    }

    @Override
    public long settledCount() {
        return settled.get();
    }

    @Override
    public int queued() {
        return lanes.stream().mapToInt(BlockingQueue::size).sum();
    }

    private void writeLoop(BlockingQueue<Pending> queue) {
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
        abandoned.addAndGet(taken.size() - batch.size());
        if (batch.isEmpty()) {
            return;
        }
        List<PostingEngine.Request> all = new ArrayList<>();
        batch.forEach(p -> all.addAll(p.requests()));
        try {
            List<PostingEngine.Result> results = IsolatedPosting.post(transactions, engine, all);
            batches.incrementAndGet();
            settled.addAndGet(all.size());
            int offset = 0;
            for (Pending p : batch) {
                p.done().complete(results.subList(offset, offset + p.requests().size()));
                offset += p.requests().size();
            }
        } catch (RuntimeException e) {
            batch.forEach(p -> p.done().completeExceptionally(e));
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
        for (BlockingQueue<Pending> queue : lanes) {
            Pending left;
            while ((left = queue.poll()) != null) {
                left.done().completeExceptionally(
                        BillingException.of(BillingError.UNAVAILABLE, "the server shut down before settling; retry"));
            }
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }
}
