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
import java.util.concurrent.atomic.AtomicInteger;
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
 * only after its transaction committed. The caller's timeout bounds its wait <em>for a writer</em> (admission): a
 * request still queued when it runs out is withdrawn — no writer commits it — and the caller is told the server is
 * overloaded ({@code UNAVAILABLE}, retry with the same key), so under overload the writers do not spend their time on
 * callers that are gone and "retry" means "not written". A request a writer has taken is waited for until its commit,
 * however long a big batch takes on a loaded machine: answering it "retry" would only have the client send again what
 * is being written. Thread-safe.
 */
public final class GroupCommitSettler implements Settler, SettlementMetrics, AutoCloseable {

    /**
     * Requests of one call (or of one lane's part of it) and their way through: queued, then either taken by a
     * writer (which commits them, and the caller waits for that) or abandoned by a caller whose wait for a writer ran
     * out (which no writer then commits). Exactly one of the two happens ({@link #take}, {@link #abandon}).
     */
    private record Pending(List<PostingEngine.Request> requests, CompletableFuture<List<PostingEngine.Result>> done,
                           AtomicInteger state) {
        static final int QUEUED = 0;
        static final int TAKEN = 1;
        static final int ABANDONED = 2;

        Pending(List<PostingEngine.Request> requests) {
            this(requests, new CompletableFuture<>(), new AtomicInteger(QUEUED));
        }

        boolean take() {
            return state.compareAndSet(QUEUED, TAKEN);
        }

        boolean abandon() {
            return state.compareAndSet(QUEUED, ABANDONED);
        }
    }

    /**
     * How long a caller waits for requests a writer has taken: their transaction is under way and will commit, so
     * answering "retry" would only make the client send them again. Its statements are bounded by the database's
     * statement and lock timeouts; this bounds the wait should a connection hang.
     */
    static final Duration COMMIT_WAIT = Duration.ofSeconds(60);

    private final Transactions transactions;
    private final PostingEngine engine;
    private final GroupCommitLimits limits;
    private final List<BlockingQueue<Pending>> lanes = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong settled = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    /** Whether the last batch found the database unreachable: then a request that waits is not an overload. */
    private volatile boolean databaseUnavailable;

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
            try {
                return await(enqueue(laneOf[0], List.copyOf(requests)), deadline);
            } catch (NotTaken late) {
                throw late.refusal;
            }
        }
        return settleAcrossLanes(requests, laneOf, deadline);
    }

    /**
     * Splits the call by lane, enqueues every part before waiting for any, and puts the results back in order. A part
     * that no writer took in time (or that a full lane refused) is withdrawn and its requests are refused
     * {@code UNAVAILABLE} each, while the parts that were taken are answered with their committed results; only when
     * no part was taken does the whole call fail, with nothing written.
     */
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
        BillingException refusal = null;
        for (int lane = 0; lane < lanes.size() && refusal == null; lane++) {
            if (!parts.get(lane).isEmpty()) {
                try {
                    pending[lane] = enqueue(lane, List.copyOf(parts.get(lane)));
                } catch (BillingException full) {
                    refusal = full;
                }
            }
        }
        long waitUntil = refusal == null ? deadline : System.nanoTime(); // a refused call withdraws what it can now
        PostingEngine.Result[] results = new PostingEngine.Result[requests.size()];
        boolean anyTaken = false;
        for (int lane = 0; lane < lanes.size(); lane++) {
            if (parts.get(lane).isEmpty()) {
                continue;
            }
            List<PostingEngine.Result> partResults = null;
            if (pending[lane] != null) {
                try {
                    partResults = await(pending[lane], waitUntil);
                    anyTaken = true;
                } catch (NotTaken late) {
                    refusal = refusal == null ? late.refusal : refusal;
                }
            }
            List<Integer> at = positions.get(lane);
            for (int n = 0; n < at.size(); n++) {
                results[at.get(n)] = partResults != null ? partResults.get(n)
                        : PostingEngine.Result.refused(refusal);
            }
        }
        if (!anyTaken) {
            throw refusal;
        }
        return Arrays.asList(results);
    }

    private int lane(OrgId orgId) {
        return Math.floorMod(orgId.value().hashCode(), lanes.size());
    }

    private Pending enqueue(int lane, List<PostingEngine.Request> requests) {
        Pending pending = new Pending(requests);
        if (!lanes.get(lane).offer(pending)) {
            throw BillingException.of(busy(), databaseUnavailable
                    ? "the settlement queue is full while the database is unavailable; retry shortly"
                    : "the server is overloaded: the settlement queue is full; retry shortly");
        }
        return pending;
    }

    /** The caller's wait ran out before any writer took its requests: they were withdrawn, nothing was written. */
    private static final class NotTaken extends Exception {
        final BillingException refusal;

        NotTaken(BillingException refusal) {
            super(null, null, false, false);
            this.refusal = refusal;
        }
    }

    /**
     * Waits for a writer to take the requests until {@code deadline}, then for their commit. Requests still queued at
     * the deadline are withdrawn (no writer commits them) and the caller is told to retry; requests a writer has taken
     * are waited for until their transaction ends (at most {@link #COMMIT_WAIT} more), so "retry" always means "not
     * written" and a slow commit — a big batch on a loaded machine — is answered with its result rather than a
     * refusal that a client would answer by sending it again.
     */
    /** What to call a wait that ran out: the database's absence when the last batch met it, else an overload. */
    private BillingError busy() {
        return databaseUnavailable ? BillingError.UNAVAILABLE : BillingError.OVERLOADED;
    }

    private List<PostingEngine.Result> await(Pending pending, long deadline) throws NotTaken {
        try {
            try {
                return pending.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (pending.abandon()) {
                    BillingException late = BillingException.of(busy(), (databaseUnavailable
                            ? "the database is unavailable" : "the server is overloaded")
                            + ": the settlement was not started in time and nothing was written; retry with the same"
                            + " idempotency key", e);
                    pending.done().completeExceptionally(late);
                    throw new NotTaken(late);
                }
                return pending.done().get(COMMIT_WAIT.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException e) {
            throw BillingException.of(BillingError.UNAVAILABLE,
                    "settlement did not complete in time; retry with the same idempotency key", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BillingException.of(BillingError.UNAVAILABLE, "interrupted while settling", e);
        } catch (ExecutionException e) {
            throw unwrap(e);
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
        // A caller whose wait for a writer ran out has withdrawn its requests (it was told to retry): leave them out.
        // Taking the others is final: their callers now wait for this commit.
        List<Pending> batch = taken.stream().filter(Pending::take).toList();
        abandoned.addAndGet(taken.size() - batch.size());
        if (batch.isEmpty()) {
            return;
        }
        List<PostingEngine.Request> all = new ArrayList<>();
        batch.forEach(p -> all.addAll(p.requests()));
        try {
            List<PostingEngine.Result> results;
            try {
                results = IsolatedPosting.post(transactions, engine, all);
            } catch (BillingException e) {
                databaseUnavailable = e.error() == BillingError.UNAVAILABLE;
                throw e;
            }
            databaseUnavailable = false;
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
