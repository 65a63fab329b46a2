package io.agentbilling.http.server.infrastructure;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link ReadinessCheck} with a timeout on one dedicated thread. A check still running when the next
 * {@code /ready} arrives is awaited again rather than started twice, so a hanging database costs one thread, not
 * one per probe. Thread-safe.
 */
final class ReadinessProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadinessProbe.class);

    private final ReadinessCheck check;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "billing-readiness");
        thread.setDaemon(true);
        return thread;
    });
    private Future<?> inFlight; // guarded by this

    ReadinessProbe(ReadinessCheck check, Duration timeout) {
        this.check = check;
        this.timeout = timeout;
    }

    /** True when the check passed within the timeout; the reason for a failure goes to the log. */
    boolean isReady() {
        Future<?> running;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = executor.submit(() -> {
                    check.check();
                    return null;
                });
            }
            running = inFlight;
        }
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            LOG.warn("not ready: the readiness check did not answer within {} ms", timeout.toMillis());
            return false;
        } catch (ExecutionException e) {
            LOG.warn("not ready: {}", String.valueOf(e.getCause()));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
