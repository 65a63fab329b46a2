package io.agentbilling.http.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Client threads for the fault suites: each runs its step in a loop until {@link #stop} or its step count or the
 * deadline is reached; every loop is bounded, so a suite always ends by itself.
 */
final class Load implements AutoCloseable {
    /** One client's step; {@code thread} and {@code iteration} make its idempotency keys unique. */
    interface Step {
        void run(int thread, int iteration) throws Exception;
    }

    /** Thrown by a step to end its own client quietly (e.g. the server is gone and a client would back off). */
    static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());

    static Load start(String name, int threadCount, int stepsPerThread, Duration deadline, Step step) {
        Load load = new Load();
        long end = System.nanoTime() + deadline.toNanos();
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            Thread worker = new Thread(() -> {
                for (int i = 0; i < stepsPerThread && !load.stopped.get() && System.nanoTime() < end; i++) {
                    try {
                        step.run(thread, i);
                    } catch (Stop stop) {
                        return;
                    } catch (Throwable e) {
                        load.failures.add(e);
                        return;
                    }
                }
            }, "load-" + name + "-" + t);
            worker.setDaemon(true);
            load.threads.add(worker);
            worker.start();
        }
        return load;
    }

    void stop() {
        stopped.set(true);
    }

    /** Waits for every client to finish (at most {@code timeout}); rethrows the first failure of a step. */
    void await(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            if (thread.isAlive()) {
                stop();
                throw new AssertionError("client thread " + thread.getName() + " still running after " + timeout);
            }
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("a client step failed", failures.get(0));
            failures.stream().skip(1).limit(5).forEach(error::addSuppressed);
            throw error;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        await(Duration.ofSeconds(60));
    }
}
