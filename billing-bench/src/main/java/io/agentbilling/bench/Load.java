package io.agentbilling.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * The two load generators. Closed loop (throughput): {@code clients} threads, each sending its next request as soon as
 * the previous one is answered. Open loop (latency): requests are due at a fixed rate whatever happens to earlier
 * ones, and each latency is measured from the request's <em>intended</em> send time, so a stall of the server counts
 * in full for every request it delayed (no coordinated omission). Both record into HdrHistograms in microseconds and
 * count only what falls into the measured window, after a warm-up.
 */
final class Load {
    private static final long MAX_MICROS = TimeUnit.MINUTES.toMicros(2);

    private Load() {}

    /** What one client thread does per request; one instance per thread, closed when the thread is done. */
    interface Step extends AutoCloseable {
        void run(HttpConnection connection, SettlementLoad.Counters countersOrNull);

        /** Releases what the step opened itself (a second connection); nothing by default. */
        @Override
        default void close() {}
    }

    record Result(double seconds, long requests, long newEvents, Histogram latencyMicros,
                  SettlementLoad.Counters counters, double offeredPerSecond) {
        double eventsPerSecond() {
            return newEvents / seconds;
        }

        double requestsPerSecond() {
            return requests / seconds;
        }

        double p50Millis() {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(50) / 1000.0;
        }

        double p99Millis() {
            return latencyMicros.getTotalCount() == 0 ? Double.NaN : latencyMicros.getValueAtPercentile(99) / 1000.0;
        }
    }

    static Result closedLoop(Target target, int clients, double warmupSeconds, double measureSeconds,
                             IntFunction<Step> steps) throws InterruptedException {
        return closedLoop(i -> target, clients, warmupSeconds, measureSeconds, steps);
    }

    /** As above, client {@code i} connected to {@code targets.apply(i)} (load split over several servers). */
    static Result closedLoop(IntFunction<Target> targets, int clients, double warmupSeconds, double measureSeconds,
                             IntFunction<Step> steps) throws InterruptedException {
        long start = System.nanoTime();
        long measureFrom = start + (long) (warmupSeconds * 1e9);
        long measureTo = measureFrom + (long) (measureSeconds * 1e9);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Step step = steps.apply(i);
            Target target = targets.apply(i);
            workers.add(new Worker("closed-" + i, () -> {
                Histogram histogram = new Histogram(MAX_MICROS, 3);
                SettlementLoad.Counters counters = new SettlementLoad.Counters();
                try (step; HttpConnection connection = target.connect()) {
                    long now;
                    while ((now = System.nanoTime()) < measureTo) {
                        boolean measured = now >= measureFrom;
                        step.run(connection, measured ? counters : null);
                        long done = System.nanoTime();
                        if (measured && done <= measureTo) {
                            histogram.recordValue(Math.min(MAX_MICROS, (done - now) / 1_000));
                        }
                    }
                }
                return new Partial(histogram, counters);
            }));
        }
        return collect(workers, measureSeconds, 0);
    }

    /** Each of {@code clients} threads sends {@code requestsPerClient} requests back to back; all are measured. */
    static Result fixedCount(Target target, int clients, long requestsPerClient, IntFunction<Step> steps)
            throws InterruptedException {
        long start = System.nanoTime();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Step step = steps.apply(i);
            workers.add(new Worker("fixed-" + i, () -> {
                Histogram histogram = new Histogram(MAX_MICROS, 3);
                SettlementLoad.Counters counters = new SettlementLoad.Counters();
                try (step; HttpConnection connection = target.connect()) {
                    for (long n = 0; n < requestsPerClient; n++) {
                        long sent = System.nanoTime();
                        step.run(connection, counters);
                        histogram.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - sent) / 1_000));
                    }
                }
                return new Partial(histogram, counters);
            }));
        }
        Result result = collect(workers, 1, 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(seconds, result.requests(), result.newEvents(), result.latencyMicros(), result.counters(), 0);
    }

    /**
     * Offers {@code ratePerSecond} requests for {@code warmup + measure} seconds over {@code connections} connections;
     * when every connection is busy, due requests wait, and their wait is part of their latency. A server that cannot
     * keep up would make the run last as long as its backlog: the run stops hard at twice its planned length, and
     * every measured request that was due but never sent is recorded as late by at least (stop − due time) and
     * counted in {@code notSent}, so the percentiles stay true lower bounds.
     */
    static Result openLoop(Target target, double ratePerSecond, int connections, double warmupSeconds,
                           double measureSeconds, IntFunction<Step> steps) throws InterruptedException {
        long intervalNanos = (long) (1e9 / ratePerSecond);
        long start = System.nanoTime() + 50_000_000L;
        long warmupSlots = (long) (warmupSeconds * ratePerSecond);
        long totalSlots = warmupSlots + (long) (measureSeconds * ratePerSecond);
        long hardStop = start + (long) (2e9 * (warmupSeconds + measureSeconds));
        AtomicLong nextSlot = new AtomicLong();
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Step step = steps.apply(i);
            workers.add(new Worker("open-" + i, () -> {
                Histogram histogram = new Histogram(MAX_MICROS, 3);
                SettlementLoad.Counters counters = new SettlementLoad.Counters();
                try (step; HttpConnection connection = target.connect()) {
                    long slot;
                    while ((slot = nextSlot.getAndIncrement()) < totalSlots) {
                        long intended = start + slot * intervalNanos;
                        long wait;
                        while ((wait = intended - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        boolean measured = slot >= warmupSlots;
                        if (System.nanoTime() > hardStop) {
                            if (measured) {
                                histogram.recordValue(Math.min(MAX_MICROS, (hardStop - intended) / 1_000));
                                counters.notSent++;
                            }
                            break;
                        }
                        step.run(connection, measured ? counters : null);
                        if (measured) {
                            histogram.recordValue(Math.min(MAX_MICROS, (System.nanoTime() - intended) / 1_000));
                        }
                    }
                }
                return new Partial(histogram, counters);
            }));
        }
        Result result = collect(workers, measureSeconds, ratePerSecond);
        for (long slot = Math.max(nextSlot.get(), warmupSlots); slot < totalSlots; slot++) {
            long late = Math.max(0, hardStop - (start + slot * intervalNanos));
            result.latencyMicros().recordValue(Math.min(MAX_MICROS, late / 1_000));
            result.counters().notSent++;
        }
        return result;
    }

    private record Partial(Histogram histogram, SettlementLoad.Counters counters) {}

    private interface Body {
        Partial run() throws IOException;
    }

    private static final class Worker extends Thread {
        private final Body body;
        private Partial result;
        private Throwable failure;

        Worker(String name, Body body) {
            super(name);
            this.body = body;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try {
                result = body.run();
            } catch (Throwable t) {
                failure = t;
            }
        }
    }

    private static Result collect(List<Worker> workers, double measureSeconds, double offered)
            throws InterruptedException {
        Histogram histogram = new Histogram(MAX_MICROS, 3);
        SettlementLoad.Counters counters = new SettlementLoad.Counters();
        for (Worker worker : workers) {
            worker.join();
            if (worker.failure != null) {
                throw new IllegalStateException("load generator thread failed", worker.failure);
            }
            histogram.add(worker.result.histogram());
            counters.add(worker.result.counters());
        }
        return new Result(measureSeconds, counters.requests, counters.newEvents, histogram, counters, offered);
    }
}
