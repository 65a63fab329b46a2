package io.agentbilling.client;

import io.agentbilling.client.service.BatchItem;
import io.agentbilling.client.service.UsageEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Reports usage asynchronously and durably: {@link #report} appends the event to a local spool file (made as durable
 * as the {@link FsyncPolicy} says — by default forced to disk) and returns; sender threads batch spooled events into
 * {@code POST /v1/internal/billing/usage-events:batch} requests (at most 1 000 events and 900 KiB each, sent when a
 * batch is full, when its oldest event has waited the flush interval, on {@link #flush} and on {@link #close}) and
 * remove them from the spool once the server has answered for them. After a crash, the next reporter on the same
 * spool directory sends whatever was not answered for. Every event carries an idempotency key (the caller's, or one
 * generated before it is spooled), so an event sent twice — its answer was lost, the process died after the server
 * settled it — is answered as a replay and settled once.
 *
 * <p>What happens to each event:
 * <ul>
 *   <li><b>settled</b> (its own status 200, a replay included): done;</li>
 *   <li><b>refused</b> (its own 4xx: bad field, unknown org or model, key reused with another payload…): written to the
 *       dead-letter file, passed to the rejection listener, never sent again;</li>
 *   <li><b>not answered</b> (no connection, timeout, 429, 503, any other failure of the whole request, or the event's
 *       own 429/503): kept and sent again after an exponential backoff with jitter (at least the server's
 *       {@code Retry-After}), for as long as the reporter runs. A request the server refuses as a whole with 400 or
 *       413 is split in halves, down to the single event, which is then refused.</li>
 * </ul>
 *
 * <p><b>Bounded memory, backpressure.</b> At most {@code maxPendingEvents} events are unsettled at a time (each held in
 * memory as its JSON, and in the spool). When that many are pending, {@code report} waits up to {@code maxBlock} for
 * room and then throws {@link SpoolFullException} without spooling the event (with a zero wait it throws at once).
 *
 * <p>Thread-safe; one reporter per spool directory (another process or reporter on it fails to start). See
 * docs/CLIENT.md for the guarantees and failure modes in full.
 */
public final class UsageReporter implements AutoCloseable {
    public static final int MAX_BATCH_EVENTS = BillingServiceClient.MAX_BATCH_EVENTS;
    public static final String DEAD_LETTER_FILE = "dead-letter.jsonl";

    private static final System.Logger LOG = System.getLogger(UsageReporter.class.getName());
    private static final int BATCH_ENVELOPE_BYTES = 13;

    private final BillingServiceClient client;
    private final Settings settings;
    private final Spool spool;
    private final DeadLetterFile deadLetters;
    private final RetryPolicy backoff;
    private final RetryPolicy attempt;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition queuedOrStopping = lock.newCondition();
    private final Condition settledOrStopping = lock.newCondition();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>(); // guarded by lock
    private final TreeSet<Long> unsettled = new TreeSet<>(); // guarded by lock
    private long queuedBytes; // guarded by lock
    private int reserved; // guarded by lock
    private int inFlight; // guarded by lock
    private long lastSeq; // guarded by lock
    private long flushThrough; // guarded by lock
    private volatile boolean closing;
    private volatile boolean stopped;

    private final LongAdder reported = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder replayed = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final long recovered;
    private final long corruptBytes;
    private volatile String lastError;

    private final List<Thread> threads = new ArrayList<>();

    private record Queued(long seq, byte[] json, long queuedAtNanos) {
    }

    private record Settings(Path spoolDirectory, int maxBatchEvents, int maxBatchBytes, Duration flushInterval, int maxPendingEvents,
                            Duration maxBlock, FsyncPolicy fsync, int senders, Duration initialBackoff,
                            Duration maxBackoff, Duration requestTimeout, long compactBytes, Duration closeTimeout,
                            Path deadLetterFile, Consumer<Rejection> onRejected) {
    }

    /**
     * A reporter with the default settings, started.
     */
    public static UsageReporter create(BillingServiceClient client, Path spoolDirectory) {
        return builder(client, spoolDirectory).build();
    }

    /**
     * A builder at the defaults.
     */
    public static Builder builder(BillingServiceClient client, Path spoolDirectory) {
        return new Builder(client, spoolDirectory);
    }

    /** Settings of a {@link UsageReporter}. Not thread-safe. */
    public static final class Builder {
        private final BillingServiceClient client;
        private final Path spoolDirectory;
        private int maxBatchEvents = MAX_BATCH_EVENTS;
        private int maxBatchBytes = 900 * 1024;
        private Duration flushInterval = Duration.ofMillis(200);
        private int maxPendingEvents = 100_000;
        private Duration maxBlock = Duration.ofSeconds(10);
        private FsyncPolicy fsync = FsyncPolicy.always();
        private int senders = 2;
        private Duration initialBackoff = Duration.ofMillis(100);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private long compactBytes = 8L << 20;
        private Duration closeTimeout = Duration.ofSeconds(10);
        private Path deadLetterFile;
        private Consumer<Rejection> onRejected;

        private Builder(BillingServiceClient client, Path spoolDirectory) {
            this.client = Objects.requireNonNull(client, "client");
            this.spoolDirectory = Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        }

        /**
         * Events per batch request, 1..1000 (default 1000).
         */
        public Builder maxBatchEvents(int events) {
            if (events < 1 || events > MAX_BATCH_EVENTS) {
                throw new IllegalArgumentException("maxBatchEvents must be 1.." + MAX_BATCH_EVENTS);
            }
            maxBatchEvents = events;
            return this;
        }

        /**
         * Bytes per batch request (default 900 KiB, under the server's 1 MiB body limit); also an event's limit.
         *
         * @param bytes how many bytes
         */
        public Builder maxBatchBytes(int bytes) {
            if (bytes < 1_024 || bytes > 1 << 20) {
                throw new IllegalArgumentException("maxBatchBytes must be 1 KiB..1 MiB");
            }
            maxBatchBytes = bytes;
            return this;
        }

        /**
         * How long an event may wait for its batch to fill before it is sent anyway (default 200 ms).
         */
        public Builder flushInterval(Duration interval) {
            flushInterval = positive(interval, "flushInterval");
            return this;
        }

        /**
         * The most events unsettled at once (default 100 000), and how long {@code report} waits for room when that
         * many are pending before it throws {@link SpoolFullException} (default 10 s; zero: throw at once).
         */
        public Builder backpressure(int maxPending, Duration maxWait) {
            if (maxPending < 1) {
                throw new IllegalArgumentException("maxPending must be >= 1");
            }
            if (Objects.requireNonNull(maxWait, "maxWait").isNegative()) {
                throw new IllegalArgumentException("maxWait must not be negative");
            }
            maxPendingEvents = maxPending;
            maxBlock = maxWait;
            return this;
        }

        /**
         * When the spool is forced to disk (default {@link FsyncPolicy#always()}).
         *
         * @param policy the rules that apply
         */
        public Builder fsync(FsyncPolicy policy) {
            fsync = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Batch requests in flight at once, 1..16 (default 2).
         */
        public Builder senders(int count) {
            if (count < 1 || count > 16) {
                throw new IllegalArgumentException("senders must be 1..16");
            }
            senders = count;
            return this;
        }

        /**
         * The backoff between attempts at an unanswered batch (default 100 ms doubling to 30 s, with jitter).
         */
        public Builder retryBackoff(Duration initial, Duration max) {
            initialBackoff = positive(initial, "initial");
            maxBackoff = positive(max, "max");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException("max must be >= initial");
            }
            return this;
        }

        /**
         * How long one batch request may take (default 30 s).
         */
        public Builder requestTimeout(Duration timeout) {
            requestTimeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * The spool file size from which settled events are compacted away (default 8 MiB).
         *
         * @param bytes how many bytes
         */
        public Builder compactAtBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("compactAtBytes must be positive");
            }
            compactBytes = bytes;
            return this;
        }

        /**
         * How long {@link #close} keeps sending before it leaves the rest in the spool (default 10 s).
         */
        public Builder closeTimeout(Duration timeout) {
            closeTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Where refused events are written (default {@code dead-letter.jsonl} in the spool directory).
         */
        public Builder deadLetterFile(Path file) {
            deadLetterFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /**
         * Called (on a sender thread) for each refused event, after it is in the dead-letter file.
         */
        public Builder onRejected(Consumer<Rejection> listener) {
            onRejected = listener;
            return this;
        }

        /**
         * Opens the spool (recovering what a previous run left: it is sent first) and starts the senders.
         *
         * @throws UncheckedIOException  when the spool directory cannot be opened
         * @throws IllegalStateException when another process or reporter has the spool open
         */
        public UsageReporter build() {
            Settings settings = new Settings(spoolDirectory, maxBatchEvents, maxBatchBytes, flushInterval, maxPendingEvents,
                    maxBlock, fsync, senders, initialBackoff, maxBackoff, requestTimeout, compactBytes, closeTimeout,
                    deadLetterFile != null ? deadLetterFile : spoolDirectory.resolve(DEAD_LETTER_FILE), onRejected);
            try {
                return new UsageReporter(client, Spool.open(spoolDirectory, fsync, compactBytes), settings);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the usage spool " + spoolDirectory, e);
            }
        }

        private static Duration positive(Duration value, String name) {
            if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }

    private UsageReporter(BillingServiceClient client, Spool spool, Settings settings) {
        this.client = client;
        this.spool = spool;
        this.settings = settings;
        this.deadLetters = new DeadLetterFile(settings.deadLetterFile(), settings.fsync());
        this.backoff = new RetryPolicy(Integer.MAX_VALUE, settings.initialBackoff(), settings.maxBackoff(),
                Duration.ofDays(365), settings.requestTimeout());
        this.attempt = RetryPolicy.none().withAttemptTimeout(settings.requestTimeout());
        Spool.Recovery recovery = spool.recovery();
        this.recovered = recovery.pending().size();
        this.corruptBytes = recovery.corruptBytes();
        long now = System.nanoTime();
        for (Spool.Event event : recovery.pending()) {
            queue.add(new Queued(event.seq(), event.json(), now));
            queuedBytes += event.json().length;
            unsettled.add(event.seq());
            lastSeq = Math.max(lastSeq, event.seq());
        }
        flushThrough = lastSeq; // what a previous run left is sent at once
        if (recovered > 0 || corruptBytes > 0) {
            LOG.log(System.Logger.Level.INFO, "usage spool {0}: {1} unsettled event(s) from a previous run will be "
                    + "sent again ({2} unreadable byte(s) skipped)", settings.spoolDirectory(), recovered,
                    corruptBytes);
        }
        for (int i = 0; i < settings.senders(); i++) {
            threads.add(start("usage-reporter-sender-" + i, this::sendLoop));
        }
        if (settings.fsync().kind() == FsyncPolicy.Kind.INTERVAL) {
            threads.add(start("usage-reporter-fsync", this::syncLoop));
        }
    }

    private static Thread start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true); // a forgotten close() must not keep the JVM alive: the spool keeps the events
        thread.start();
        return thread;
    }

    // ---- reporting

    /**
     * Spools one event and returns its idempotency key (the event's own, or a generated one). When it returns, the
     * event is in the spool as durable as the {@link FsyncPolicy} says, and will be sent.
     *
     * @throws SpoolFullException    the reporter holds its maximum of unsettled events and none settled in time
     * @throws IllegalStateException the reporter is closed
     * @throws UncheckedIOException  the spool could not be written (the event may or may not be in it: report it
     *                               again only with the same key)
     */
    public String report(UsageEvent event) {
        return reportAll(List.of(event)).get(0);
    }

    /**
     * Spools events together (one write, one force) and returns their keys, in order; all or none of them (a list
     * longer than the pending bound is refused with {@link IllegalArgumentException}). Otherwise as {@link #report}.
     */
    public List<String> reportAll(Collection<? extends UsageEvent> events) {
        if (closing) {
            throw new IllegalStateException("the usage reporter is closed");
        }
        List<byte[]> jsons = new ArrayList<>(events.size());
        List<String> keys = new ArrayList<>(events.size());
        for (UsageEvent event : events) {
            UsageEvent keyed = BillingServiceClient.keyed(Objects.requireNonNull(event, "event"));
            byte[] json = BillingServiceClient.batchEventJson(keyed);
            if (json.length + BATCH_ENVELOPE_BYTES > settings.maxBatchBytes()) {
                throw new IllegalArgumentException("an event of " + json.length + " bytes does not fit in a batch of "
                        + settings.maxBatchBytes() + " bytes");
            }
            jsons.add(json);
            keys.add(keyed.idempotencyKey());
        }
        if (jsons.isEmpty()) {
            return List.of();
        }
        reserve(jsons.size());
        List<Spool.Event> spooled;
        try {
            spooled = spool.append(jsons);
        } catch (IOException e) {
            release(jsons.size());
            throw new UncheckedIOException("could not write the usage spool", e);
        }
        long now = System.nanoTime();
        lock.lock();
        try {
            reserved -= jsons.size();
            for (Spool.Event event : spooled) {
                queue.add(new Queued(event.seq(), event.json(), now));
                queuedBytes += event.json().length;
                unsettled.add(event.seq());
                lastSeq = Math.max(lastSeq, event.seq());
            }
            queuedOrStopping.signal();
        } finally {
            lock.unlock();
        }
        reported.add(jsons.size());
        return keys;
    }

    /** Waits for room for {@code count} more unsettled events (the backpressure policy). */
    private void reserve(int count) {
        if (count > settings.maxPendingEvents()) {
            throw new IllegalArgumentException(count + " events are more than the reporter holds ("
                    + settings.maxPendingEvents() + ")");
        }
        long deadline = System.nanoTime() + settings.maxBlock().toNanos();
        lock.lock();
        try {
            while (unsettled.size() + reserved + count > settings.maxPendingEvents()) {
                if (closing) {
                    throw new IllegalStateException("the usage reporter is closed");
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SpoolFullException(unsettled.size() + " usage events are waiting to be settled (the "
                            + "limit is " + settings.maxPendingEvents() + "); none settled within "
                            + settings.maxBlock() + (lastError == null ? "" : "; last failure: " + lastError));
                }
                try {
                    settledOrStopping.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for room in the usage spool", e);
                }
            }
            reserved += count;
        } finally {
            lock.unlock();
        }
    }

    private void release(int count) {
        lock.lock();
        try {
            reserved -= count;
            settledOrStopping.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends everything reported before this call without waiting for batches to fill, and waits until the server has
     * settled or refused all of it.
     *
     * @return true when it all was answered for within {@code timeout}; false when some is still unsettled (it stays
     *         spooled and keeps being sent)
     */
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            long target = lastSeq;
            flushThrough = Math.max(flushThrough, target);
            queuedOrStopping.signalAll();
            while (!unsettled.isEmpty() && unsettled.first() <= target) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopped) {
                    return false;
                }
                settledOrStopping.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    // ---- sending

    private void sendLoop() {
        try {
            List<Queued> batch;
            while ((batch = takeBatch()) != null) {
                deliver(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: what is unsent stays in the spool
        } catch (RuntimeException | Error e) {
            lastError = e.toString();
            LOG.log(System.Logger.Level.ERROR, "usage reporter sender stopped; unsent events stay in the spool", e);
        }
    }

    /** The next batch: waits for an event, then until the batch is full, the oldest has waited, or a flush. */
    private List<Queued> takeBatch() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                if (stopped || closing && queue.isEmpty()) {
                    return null;
                }
                if (queue.isEmpty()) {
                    queuedOrStopping.await();
                    continue;
                }
                Queued oldest = queue.peekFirst();
                long left = oldest.queuedAtNanos() + settings.flushInterval().toNanos() - System.nanoTime();
                boolean full = queue.size() >= settings.maxBatchEvents()
                        || queuedBytes + queue.size() + BATCH_ENVELOPE_BYTES >= settings.maxBatchBytes();
                if (!full && left > 0 && !closing && oldest.seq() > flushThrough) {
                    queuedOrStopping.awaitNanos(left);
                    continue;
                }
                List<Queued> batch = new ArrayList<>(Math.min(queue.size(), settings.maxBatchEvents()));
                long bytes = BATCH_ENVELOPE_BYTES;
                while (!queue.isEmpty() && batch.size() < settings.maxBatchEvents()) {
                    Queued next = queue.peekFirst();
                    if (!batch.isEmpty() && bytes + next.json().length + 1 > settings.maxBatchBytes()) {
                        break;
                    }
                    queue.pollFirst();
                    queuedBytes -= next.json().length;
                    bytes += next.json().length + 1;
                    batch.add(next);
                }
                inFlight += batch.size();
                if (!queue.isEmpty()) {
                    queuedOrStopping.signal();
                }
                return batch;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends a batch until every event in it is settled or refused (or the reporter stops). */
    private void deliver(List<Queued> batch) throws InterruptedException {
        List<Queued> remaining = batch;
        int failures = 0;
        while (!remaining.isEmpty()) {
            if (stopped) {
                return;
            }
            List<BatchItem> items;
            try {
                items = client.postBatch(body(remaining), attempt);
            } catch (RateLimitedException | ServiceUnavailableException e) {
                failures = pause(remaining, ++failures, e.retryAfter(), e);
                continue;
            } catch (BillingTransportException e) {
                if (stopped) {
                    return;
                }
                failures = pause(remaining, ++failures, null, e);
                continue;
            } catch (BillingApiException e) {
                if ((e.status() == 400 || e.status() == 413) && remaining.size() > 1) {
                    int half = remaining.size() / 2;
                    deliver(new ArrayList<>(remaining.subList(0, half)));
                    deliver(new ArrayList<>(remaining.subList(half, remaining.size())));
                    return;
                }
                if (e.status() == 400 || e.status() == 413) {
                    Queued only = remaining.get(0);
                    finish(List.of(), List.of(rejection(only, e.status(), e.code(), e.getMessage(), e.details())),
                            List.of(only));
                    return;
                }
                failures = pause(remaining, ++failures, e.retryAfter(), e); // a misconfiguration: hold and retry
                continue;
            }
            if (items.size() != remaining.size()) {
                failures = pause(remaining, ++failures, null, new IllegalStateException("the server answered "
                        + items.size() + " results for " + remaining.size() + " events"));
                continue;
            }
            batches.increment();
            lastError = null;
            List<Queued> settled = new ArrayList<>();
            List<Queued> refusedEvents = new ArrayList<>();
            List<Rejection> refusals = new ArrayList<>();
            List<Queued> again = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                BatchItem item = items.get(i);
                Queued event = remaining.get(item.index() >= 0 && item.index() < remaining.size() ? item.index() : i);
                if (item.settled()) {
                    settled.add(event);
                    if (item.result().replayed()) {
                        replayed.increment();
                    }
                } else if (item.status() == 429 || item.status() == 503) {
                    again.add(event);
                } else {
                    BatchItem.Error error = item.error();
                    refusedEvents.add(event);
                    refusals.add(rejection(event, item.status(), error == null ? null : error.code(),
                            error == null ? null : error.message(), error == null ? null : error.details()));
                }
            }
            if (!finish(settled, refusals, refusedEvents)) {
                failures = pause(remaining, ++failures, null, null);
                continue;
            }
            if (!again.isEmpty()) {
                retried.add(again.size());
                sleep(backoff.backoff(++failures, null));
            }
            remaining = again;
        }
    }

    /**
     * Dead-letters the refused events, then marks settled and refused ones done in the spool, then tells the
     * listener. False when the files could not be written (nothing is marked done; the batch is sent again).
     */
    private boolean finish(List<Queued> settled, List<Rejection> refusals, List<Queued> refusedEvents) {
        long[] done = new long[settled.size() + refusedEvents.size()];
        int n = 0;
        for (Queued event : settled) {
            done[n++] = event.seq();
        }
        for (Queued event : refusedEvents) {
            done[n++] = event.seq();
        }
        try {
            deadLetters.append(refusals, Instant.now());
            spool.markDone(done);
        } catch (IOException e) {
            lastError = "cannot write the spool or dead-letter file: " + e;
            LOG.log(System.Logger.Level.ERROR, lastError, e);
            return false;
        }
        sent.add(settled.size()); // counted before flush() can see the events settled
        rejected.add(refusals.size());
        lock.lock();
        try {
            for (long seq : done) {
                unsettled.remove(seq);
            }
            inFlight -= done.length;
            settledOrStopping.signalAll();
        } finally {
            lock.unlock();
        }
        Consumer<Rejection> listener = settings.onRejected();
        for (Rejection rejection : refusals) {
            LOG.log(System.Logger.Level.WARNING, "usage event {0} refused: {1} {2} ({3}); written to {4}",
                    rejection.idempotencyKey(), rejection.status(), rejection.code(), rejection.message(),
                    deadLetters.path());
            if (listener != null) {
                try {
                    listener.accept(rejection);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "the rejection listener threw", e);
                }
            }
        }
        return true;
    }

    /** Counts a failed attempt at {@code remaining}, waits the backoff, and returns the failure count. */
    private int pause(List<Queued> remaining, int failures, Duration retryAfter, Exception cause)
            throws InterruptedException {
        if (cause != null) {
            lastError = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            if (failures == 1) {
                LOG.log(System.Logger.Level.WARNING, "usage batch of {0} event(s) not settled, retrying: {1}",
                        remaining.size(), lastError);
            }
        }
        retried.add(remaining.size());
        sleep(backoff.backoff(failures, retryAfter));
        return failures;
    }

    private void sleep(Duration wait) throws InterruptedException {
        if (!stopped) {
            TimeUnit.NANOSECONDS.sleep(wait.toNanos());
        }
    }

    private static Rejection rejection(Queued event, int status, String code, String message,
                                       List<FieldIssue> details) {
        String json = new String(event.json(), StandardCharsets.UTF_8);
        String key = null;
        try {
            key = ClientJson.MAPPER.readTree(event.json()).path("idempotencyKey").asText(null);
        } catch (IOException unreadable) {
            // the JSON was written by this client; keep the rejection without its key rather than lose it
        }
        return new Rejection(key, json, status, code, message, details);
    }

    private static byte[] body(List<Queued> events) {
        List<byte[]> jsons = new ArrayList<>(events.size());
        for (Queued event : events) {
            jsons.add(event.json());
        }
        return BillingServiceClient.batchBody(jsons);
    }

    private void syncLoop() {
        while (!stopped) {
            try {
                TimeUnit.NANOSECONDS.sleep(settings.fsync().interval().toNanos());
                spool.sync();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                lastError = "cannot force the usage spool: " + e;
                LOG.log(System.Logger.Level.ERROR, lastError, e);
            }
        }
    }

    // ---- state

    public ReporterMetrics metrics() {
        long queued;
        long flying;
        long pending;
        lock.lock();
        try {
            queued = queue.size();
            flying = inFlight;
            pending = unsettled.size();
        } finally {
            lock.unlock();
        }
        return new ReporterMetrics(queued, flying, pending, spool.fileBytes(), reported.sum(), recovered, sent.sum(),
                replayed.sum(), rejected.sum(), retried.sum(), batches.sum(), corruptBytes, lastError);
    }

    public Path deadLetterFile() {
        return deadLetters.path();
    }

    /**
     * Stops taking events, keeps sending for up to the close timeout, then stops the senders and closes the spool.
     * Whatever is still unsettled stays in the spool and is sent by the next reporter on the same directory.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        lock.lock();
        try {
            queuedOrStopping.signalAll();
            settledOrStopping.signalAll();
        } finally {
            lock.unlock();
        }
        boolean drained = flush(settings.closeTimeout());
        stopped = true;
        lock.lock();
        try {
            queuedOrStopping.signalAll();
            settledOrStopping.signalAll();
        } finally {
            lock.unlock();
        }
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left;
        lock.lock();
        try {
            left = unsettled.size();
        } finally {
            lock.unlock();
        }
        try {
            deadLetters.close();
            spool.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not close the usage spool", e);
        }
        if (!drained || left > 0) {
            LOG.log(System.Logger.Level.WARNING, "usage reporter closed with {0} unsettled event(s) in the spool; "
                    + "they are sent by the next reporter on it{1}", left,
                    lastError == null ? "" : " (last failure: " + lastError + ")");
        }
    }
}
