package io.agentbilling.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.settlement.GroupCommitLimits;
import io.agentbilling.core.money.Credits;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.GrantCredit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Starting and stopping the engine: background jobs and closing everything it owns. */
class EngineLifecycleTest {
    private final MutableClock clock = MutableClock.at("2026-11-10T09:00:00Z");

    @Test
    void close_closes_every_resource_even_when_some_fail_and_reports_every_failure() {
        List<String> closed = new ArrayList<>();
        Billing billing = Billing.builder(new InMemoryTransactions(), clock)
                .groupCommit(GroupCommitLimits.defaults())
                .closeWith(() -> closed.add("first"))
                .closeWith(() -> {
                    closed.add("second");
                    throw new IllegalStateException("second failed");
                })
                .closeWith(() -> {
                    closed.add("third");
                    throw new java.io.IOException("third failed");
                })
                .build();

        assertThatThrownBy(billing::close)
                .isInstanceOf(IllegalStateException.class)
                .hasRootCauseMessage("third failed")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("second failed"));
        assertThat(closed).containsExactly("third", "second", "first");

        billing.close(); // closing again does nothing
        assertThat(closed).hasSize(3);
    }

    @Test
    void background_jobs_on_the_hosts_scheduler_expire_grants_and_leave_the_scheduler_running() throws Exception {
        ScheduledExecutorService host = Executors.newSingleThreadScheduledExecutor();
        try {
            Billing billing = Billing.builder(new InMemoryTransactions(), clock)
                    .backgroundJobs(BackgroundJobs.Settings.on(host).every(Duration.ofMillis(20), Duration.ofMillis(20),
                            Duration.ofMillis(20)))
                    .build();
            OrgId org = billing.createOrg().execute(CreateOrg.Command.builder()
                    .name("Acme").plan("free").signupGrantMicros(0L).idempotencyKey("acme").build()).org().id();
            billing.grantCredit().execute(GrantCredit.Command.builder()
                    .orgId(org).amountCents(100).expiresAt(clock.instant().plus(Duration.ofDays(1)))
                    .description("promo").idempotencyKey("promo-1").build());
            assertThat(billing.backgroundJobs().ownsScheduler()).isFalse();

            clock.advance(Duration.ofDays(2));
            assertThat(billing.getCredits().forOrg(org).balance()).isEqualTo(Credits.ofCents(100));
            awaitTrue(() -> billing.getCredits().forOrg(org).balance().equals(Credits.ZERO)); // the sweep expired it
            billing.close();

            assertThat(host.isShutdown()).isFalse();
            assertThat(host.schedule(() -> "still running", 0, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS))
                    .isEqualTo("still running");
        } finally {
            host.shutdownNow();
        }
    }

    @Test
    void a_failing_job_is_reported_and_runs_again_on_schedule() throws Exception {
        List<String> failures = new CopyOnWriteArrayList<>();
        Billing billing = Billing.builder(new GoneDatabase(), clock)
                .backgroundJobs(BackgroundJobs.Settings.onOwnThread()
                        .every(Duration.ofMillis(10), Duration.ofHours(1), Duration.ofHours(1))
                        .onFailure((job, e) -> failures.add(job + ": " + e.getMessage())))
                .build();
        try {
            awaitTrue(() -> failures.size() >= 2);
            assertThat(failures).allMatch(failure -> failure.equals("auto top-ups: database gone"));
            assertThat(billing.backgroundJobs().ownsScheduler()).isTrue();
        } finally {
            billing.close();
        }
        int afterClose = failures.size();
        Thread.sleep(100);
        assertThat(failures).hasSize(afterClose);
    }

    @Test
    void without_background_jobs_nothing_runs_them() {
        Billing billing = Billing.builder(new InMemoryTransactions(), clock).build();
        assertThat(billing.backgroundJobs()).isNull();
        billing.close();
    }

    /** Every unit of work fails, as with a database that went away. */
    private static final class GoneDatabase implements io.agentbilling.core.port.Transactions {
        @Override
        public <T> T inTransaction(java.util.function.Function<io.agentbilling.core.port.Stores, T> work) {
            throw new IllegalStateException("database gone");
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(10);
        }
    }
}
