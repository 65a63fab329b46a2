package io.agentbilling.http.server;

import io.agentbilling.core.Billing;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's periodic work, each step bounded: charging pending auto top-ups (also woken at once when a settlement
 * creates an attempt), expiring grants, and settling sandboxes that went silent past the grace period. Every step is
 * safe to run on several instances at once (the use cases lock what they change), so scaling out needs no leader.
 */
final class BackgroundWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWorkers.class);
    private static final int EXPIRY_ORGS_PER_RUN = 1_000;
    private static final int SILENT_SANDBOXES_PER_RUN = 500;

    private final Billing billing;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "billing-workers");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean autoTopupQueued = new AtomicBoolean();

    BackgroundWorkers(Billing billing) {
        this.billing = billing;
    }

    void start(Duration autoTopupEvery, Duration expiryEvery, Duration sandboxesEvery) {
        scheduler.scheduleWithFixedDelay(() -> run("auto top-up", () -> billing.runAutoTopups().execute()),
                autoTopupEvery.toMillis(), autoTopupEvery.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> run("grant expiry", () -> billing.expireGrants().execute(EXPIRY_ORGS_PER_RUN)),
                expiryEvery.toMillis(), expiryEvery.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> run("silent sandboxes",
                        () -> billing.settleSilentSandboxes().execute(SILENT_SANDBOXES_PER_RUN)),
                sandboxesEvery.toMillis(), sandboxesEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the auto top-up step soon (after the transaction that created an attempt has committed). */
    void wakeAutoTopups() {
        if (autoTopupQueued.compareAndSet(false, true)) {
            scheduler.schedule(() -> {
                autoTopupQueued.set(false);
                run("auto top-up", () -> billing.runAutoTopups().execute());
            }, 50, TimeUnit.MILLISECONDS);
        }
    }

    private static void run(String name, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            LOG.warn("background step '{}' failed; it runs again on schedule", name, e);
        }
    }

    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
