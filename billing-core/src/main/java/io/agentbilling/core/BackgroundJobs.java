package io.agentbilling.core;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The engine's periodic work, which every deployment needs whether it runs the server or embeds the engine: charging
 * pending auto top-ups (also woken at once when a settlement starts an attempt), expiring grants past their date (the
 * sweep that reaches idle orgs; busy ones expire lazily anyway), settling sandboxes that went silent past the
 * grace period, expiring holds past their time, and delivering outbound webhooks (also woken when events are
 * queued). Webhook deliveries run on a thread of their own and send on a small pool of their own
 * ({@value #WEBHOOK_SENDERS} threads), so a slow receiver never delays the other jobs, nor any settlement. Each run is bounded ({@value #EXPIRY_ORGS_PER_RUN} orgs, {@value #SILENT_SANDBOXES_PER_RUN}
 * sandboxes) and safe on several instances at once (the use cases lock what they change), so scaling out needs no
 * leader. A run that fails is reported and simply runs again on schedule.
 *
 * <p>Built by {@link Billing.Builder#backgroundJobs(Settings)} and stopped by {@link Billing#close()}. On a scheduler
 * of its own (one daemon thread) by default, or on one the host passes in, which it keeps owning: closing then only
 * cancels these jobs. Thread-safe.
 */
public final class BackgroundJobs implements AutoCloseable {
    public static final int EXPIRY_ORGS_PER_RUN = 1_000;
    public static final int SILENT_SANDBOXES_PER_RUN = 500;
    public static final int HOLD_EXPIRY_ORGS_PER_RUN = 1_000;
    public static final int WEBHOOK_DELIVERIES_PER_RUN = 100;
    /** Threads that send webhooks in parallel. */
    public static final int WEBHOOK_SENDERS = 4;

    /** Delay before the auto top-up run that a settlement wakes: after its transaction has committed. */
    private static final Duration WAKE_DELAY = Duration.ofMillis(50);
    private static final Duration OWN_SCHEDULER_STOP_WAIT = Duration.ofSeconds(10);
    private static final System.Logger LOG = System.getLogger(BackgroundJobs.class.getName());

    /**
     * Which scheduler runs the jobs, how often, and who hears of a failed run.
     *
     * @param hostScheduler   the host's scheduler, or {@code null} for one of the engine's own
     * @param autoTopupsEvery how often pending auto top-ups are charged (besides the wake-ups)
     * @param grantExpiryEvery how often grants past their expiry are swept
     * @param silentSandboxesEvery how often silent sandboxes past their grace period are settled
     * @param onFailure       told the job's name and the exception of a run that failed; by default a warning
     *                        through {@link System.Logger} (routed to the host's logging framework where it has a
     *                        bridge for it)
     */
    public record Settings(ScheduledExecutorService hostScheduler, Duration autoTopupsEvery, Duration grantExpiryEvery,
                           Duration silentSandboxesEvery, BiConsumer<String, RuntimeException> onFailure,
                           Duration holdExpiryEvery, Duration webhookDeliveriesEvery) {
        public static final Duration DEFAULT_AUTO_TOPUPS_EVERY = Duration.ofSeconds(5);
        public static final Duration DEFAULT_GRANT_EXPIRY_EVERY = Duration.ofSeconds(60);
        public static final Duration DEFAULT_SILENT_SANDBOXES_EVERY = Duration.ofSeconds(30);
        public static final Duration DEFAULT_HOLD_EXPIRY_EVERY = Duration.ofSeconds(10);
        public static final Duration DEFAULT_WEBHOOK_DELIVERIES_EVERY = Duration.ofSeconds(2);

        /**
         * @param autoTopupsEvery how often pending auto top-ups are charged (besides the wake-ups)
         * @param grantExpiryEvery how often grants past their expiry are swept
         * @param hostScheduler the host's scheduler, or {@code null} for one of the engine's own
         * @param onFailure told the job's name and the exception of a run that failed; by default a warning through
         *     {@link System.Logger} (routed to the host's logging framework where it has a bridge for it)
         * @param silentSandboxesEvery how often silent sandboxes past their grace period are settled
         */
        public Settings {
            requirePositive("autoTopupsEvery", autoTopupsEvery);
            requirePositive("grantExpiryEvery", grantExpiryEvery);
            requirePositive("silentSandboxesEvery", silentSandboxesEvery);
            Objects.requireNonNull(onFailure, "onFailure");
            requirePositive("holdExpiryEvery", holdExpiryEvery);
            requirePositive("webhookDeliveriesEvery", webhookDeliveriesEvery);
        }

        /** The settings of the jobs there were before holds and webhooks; those two run at their defaults. */
        public Settings(ScheduledExecutorService hostScheduler, Duration autoTopupsEvery, Duration grantExpiryEvery,
                        Duration silentSandboxesEvery, BiConsumer<String, RuntimeException> onFailure) {
            this(hostScheduler, autoTopupsEvery, grantExpiryEvery, silentSandboxesEvery, onFailure,
                    DEFAULT_HOLD_EXPIRY_EVERY, DEFAULT_WEBHOOK_DELIVERIES_EVERY);
        }

        /**
         * On a scheduler thread of the engine's own, at the default intervals (the server's).
         */
        public static Settings onOwnThread() {
            return new Settings(null, DEFAULT_AUTO_TOPUPS_EVERY, DEFAULT_GRANT_EXPIRY_EVERY,
                    DEFAULT_SILENT_SANDBOXES_EVERY, BackgroundJobs::logFailure);
        }

        /**
         * On the host's scheduler, at the default intervals; the host keeps owning (and shuts down) the scheduler.
         */
        public static Settings on(ScheduledExecutorService hostScheduler) {
            return onOwnThread().withScheduler(Objects.requireNonNull(hostScheduler, "hostScheduler"));
        }

        /**
         * A copy with another scheduler.
         */
        public Settings withScheduler(ScheduledExecutorService newHostScheduler) {
            return new Settings(newHostScheduler, autoTopupsEvery, grantExpiryEvery, silentSandboxesEvery, onFailure,
                    holdExpiryEvery, webhookDeliveriesEvery);
        }

        public Settings every(Duration autoTopups, Duration grantExpiry, Duration silentSandboxes) {
            return new Settings(hostScheduler, autoTopups, grantExpiry, silentSandboxes, onFailure, holdExpiryEvery,
                    webhookDeliveriesEvery);
        }

        /** How often holds past their time are marked expired, and how often due webhook deliveries are sent. */
        public Settings holdsAndWebhooksEvery(Duration holdExpiry, Duration webhookDeliveries) {
            return new Settings(hostScheduler, autoTopupsEvery, grantExpiryEvery, silentSandboxesEvery, onFailure,
                    holdExpiry, webhookDeliveries);
        }

        public Settings onFailure(BiConsumer<String, RuntimeException> listener) {
            return new Settings(hostScheduler, autoTopupsEvery, grantExpiryEvery, silentSandboxesEvery, listener,
                    holdExpiryEvery, webhookDeliveriesEvery);
        }

        private static void requirePositive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive but was " + value);
            }
        }
    }

    private final Billing billing;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final boolean ownsScheduler;
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private final AtomicBoolean autoTopupWakeQueued = new AtomicBoolean();
    private final AtomicBoolean webhookWakeQueued = new AtomicBoolean();
    /** Runs the webhook delivery job, apart from the others; its sends go to {@link #webhookSenders}. */
    private final ScheduledExecutorService webhookScheduler;
    private final ExecutorService webhookSenders;
    private final AtomicBoolean closed = new AtomicBoolean();

    private BackgroundJobs(Billing billing, Settings settings) {
        this.billing = billing;
        this.settings = settings;
        this.ownsScheduler = settings.hostScheduler() == null;
        this.scheduler = ownsScheduler ? Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "billing-background-jobs");
            thread.setDaemon(true);
            return thread;
        }) : settings.hostScheduler();
        this.webhookScheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "billing-webhook-deliveries");
            thread.setDaemon(true);
            return thread;
        });
        AtomicInteger senders = new AtomicInteger();
        this.webhookSenders = Executors.newFixedThreadPool(WEBHOOK_SENDERS, runnable -> {
            Thread thread = new Thread(runnable, "billing-webhook-sender-" + senders.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    static BackgroundJobs start(Billing billing, Settings settings) {
        BackgroundJobs jobs = new BackgroundJobs(billing, settings);
        jobs.scheduleAll();
        return jobs;
    }

    private synchronized void scheduleAll() {
        scheduled.add(every(settings.autoTopupsEvery(), "auto top-ups", () -> billing.runAutoTopups().execute()));
        scheduled.add(every(settings.grantExpiryEvery(), "grant expiry",
                () -> billing.expireGrants().execute(EXPIRY_ORGS_PER_RUN)));
        scheduled.add(every(settings.silentSandboxesEvery(), "silent sandboxes",
                () -> billing.settleSilentSandboxes().execute(SILENT_SANDBOXES_PER_RUN)));
        scheduled.add(every(settings.holdExpiryEvery(), "hold expiry",
                () -> billing.spendControls().expireHolds().execute(HOLD_EXPIRY_ORGS_PER_RUN)));
        long millis = settings.webhookDeliveriesEvery().toMillis();
        scheduled.add(webhookScheduler.scheduleWithFixedDelay(() -> run("webhook deliveries", this::deliverWebhooks),
                millis, millis, TimeUnit.MILLISECONDS));
    }

    /** Sends what is due, run after run while full runs come back (a backlog), so a burst drains without waiting. */
    private void deliverWebhooks() {
        for (int run = 0; run < 10 && !closed.get(); run++) {
            int attempted = billing.webhooks().deliver().execute(WEBHOOK_DELIVERIES_PER_RUN, webhookSenders)
                    .attempted();
            if (attempted < WEBHOOK_DELIVERIES_PER_RUN) {
                return;
            }
        }
    }

    /** Runs the webhook delivery job soon, once however many events ask before it runs. */
    void wakeWebhookDeliveries() {
        if (closed.get() || !webhookWakeQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            webhookScheduler.schedule(() -> {
                webhookWakeQueued.set(false);
                run("webhook deliveries", this::deliverWebhooks);
            }, WAKE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            webhookWakeQueued.set(false);
            settings.onFailure().accept("webhook deliveries", e);
        }
    }

    private ScheduledFuture<?> every(Duration interval, String name, Runnable job) {
        long millis = interval.toMillis();
        return scheduler.scheduleWithFixedDelay(() -> run(name, job), millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Runs the auto top-up job soon, once however many settlements ask before it runs. */
    void wakeAutoTopups() {
        if (closed.get() || !autoTopupWakeQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                autoTopupWakeQueued.set(false);
                run("auto top-ups", () -> billing.runAutoTopups().execute());
            }, WAKE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) { // a scheduler shut down by its host: the periodic run is gone too
            autoTopupWakeQueued.set(false);
            settings.onFailure().accept("auto top-ups", e);
        }
    }

    /**
     * Whether the jobs run on a scheduler of the engine's own.
     *
     * @return true when it did
     */
    public boolean ownsScheduler() {
        return ownsScheduler;
    }

    private void run(String name, Runnable job) {
        if (closed.get()) {
            return;
        }
        try {
            job.run();
        } catch (RuntimeException e) {
            try {
                settings.onFailure().accept(name, e);
            } catch (RuntimeException listenerFailure) {
                e.addSuppressed(listenerFailure);
                logFailure(name, e);
            }
        }
    }

    /** Shuts down an executor of the jobs' own, giving a run in progress its time. */
    private static void stopOwn(ExecutorService executor) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(OWN_SCHEDULER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void logFailure(String job, RuntimeException e) {
        LOG.log(Level.WARNING, "background job '" + job + "' failed; it runs again on schedule", e);
    }

    /**
     * Stops the jobs: none starts after this returns. An own scheduler is shut down and given
     * {@code 10 s} to finish a run in progress (then interrupted); a host's scheduler is left running.
     */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduled.forEach(future -> future.cancel(false));
        stopOwn(webhookScheduler);
        stopOwn(webhookSenders);
        if (!ownsScheduler) {
            return;
        }
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(OWN_SCHEDULER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
