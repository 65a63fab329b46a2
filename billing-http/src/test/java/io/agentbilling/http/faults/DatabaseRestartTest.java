package io.agentbilling.http.faults;

import static io.agentbilling.http.faults.FaultServers.modelUsage;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestClient;
import io.agentbilling.http.support.Answer;
import io.agentbilling.embedded.postgres.EmbeddedDatabase;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted under settlement load, the server left running (in-process, at its default timeouts) on a
 * database this test owns: while the database is down every request is answered 503 {@code unavailable} within the
 * settlement timeout plus, once a writer started it, the writer's pool wait (never a hang), {@code /ready} says so, and within 5 s of the database being back the server
 * settles again — without a restart. Nothing acknowledged is lost; retries of the rest land exactly once.
 */
class DatabaseRestartTest {
    private static final TestClient HTTP = FaultServers.client();
    /**
     * A settlement still queued when the 1 s settlement timeout runs out is withdrawn and answered at once; one a
     * writer started by then is answered when the writer's wait for a connection (1 s) runs out: 2 s at most, plus
     * slack for a loaded 2-core machine. Documented in CONFIGURATION.md.
     */
    private static final Duration ANSWER_BOUND = Duration.ofMillis(2_600);

    @Test
    void requests_fail_fast_while_postgresql_is_down_and_succeed_again_soon_after_it_is_back(@TempDir Path dir)
            throws Exception {
        Path data = dir.resolve("pg");
        EmbeddedDatabase postgres = EmbeddedDatabase.start(data, 0);
        int port = postgres.port();
        DatabaseConfig database = DatabaseConfig.of(postgres.jdbcUrl(), postgres.user(), postgres.password());
        BillingApplication app = FaultServers.start(database, Map.of());
        try {
            String base = FaultServers.base(app);
            FaultServers.Org org = FaultServers.createOrg(HTTP.at(base), "pro", 0);
            LoadRecord before = new LoadRecord();
            LoadRecord during = new LoadRecord();
            LoadRecord after = new LoadRecord();
            AtomicInteger phase = new AtomicInteger(); // 0 up, 1 down, 2 back
            AtomicLong firstSuccessAfterRestartNanos = new AtomicLong();
            Load load = Load.start("pg-restart", 6, 100_000, Duration.ofSeconds(60), (thread, i) -> {
                String key = "m-" + thread + "-" + i;
                String body = modelUsage(org, key, thread);
                int p = phase.get();
                Answer answer = HTTP.at(base).within(Duration.ofSeconds(30))
                        .internalPost("/v1/internal/billing/model-usage", body);
                LoadRecord record = p == 0 ? before : p == 1 ? during : after;
                record.record(key, body, answer, "chargedMicros");
                if (p == 2 && answer.ok()) {
                    firstSuccessAfterRestartNanos.compareAndSet(0, System.nanoTime());
                }
                Thread.sleep(5);
            });
            Thread.sleep(1_000);
            postgres.stop();
            phase.set(1);
            Thread.sleep(3_000);
            Answer ready = HTTP.at(base).get("/ready");
            assertThat(ready.status()).as("ready while the database is down").isEqualTo(503);
            phase.set(2);
            postgres = EmbeddedDatabase.start(data, port);
            long backNanos = System.nanoTime();
            long end = backNanos + Duration.ofSeconds(8).toNanos();
            while (firstSuccessAfterRestartNanos.get() == 0 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            Thread.sleep(1_000);
            load.stop();
            load.await(Duration.ofSeconds(30));

            assertThat(before.count(200)).as("settlements before the restart").isPositive();
            assertThat(during.unexpected()).as("answers while the database is down").isEmpty();
            assertThat(during.count(503)).as("the outage was noticed: " + during.statusCounts()).isPositive();
            assertThat(during.slowest("m-")).as("slowest answer during the outage").isLessThan(ANSWER_BOUND);
            assertThat(firstSuccessAfterRestartNanos.get()).as("a settlement succeeded after the restart")
                    .isNotZero();
            Duration recovery = Duration.ofNanos(firstSuccessAfterRestartNanos.get() - backNanos);
            System.out.println("PostgreSQL restart: first settlement " + recovery.toMillis()
                    + " ms after the database was back; outage answers " + during.statusCounts() + ", the slowest in "
                    + during.slowest("m-").toMillis() + " ms");
            assertThat(recovery).as("serving again after the database is back").isLessThan(Duration.ofSeconds(5));
            assertThat(HTTP.at(base).get("/ready").status()).isEqualTo(200);

            LoadRecord all = new LoadRecord();
            all.addAll(before);
            all.addAll(during);
            all.addAll(after);
            for (String key : all.unknown) {
                Answer retry = FaultServers.untilNot503(() -> HTTP.at(base)
                        .internalPost("/v1/internal/billing/model-usage", all.sent.get(key)));
                assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
            }
            LedgerAudit audit = new LedgerAudit(database);
            Map<String, Integer> perKey = audit.entriesPerKey(org.orgId());
            all.sent.keySet().forEach(key -> assertThat(perKey.get(key)).as("entries for " + key).isEqualTo(1));
            long charged = all.acknowledged.values().stream().mapToLong(Long::longValue).sum();
            assertThat(charged).isPositive();
            assertThat(audit.problems()).isEmpty();
            assertThat(app.billing().verifyLedger().execute().drifts()).isEmpty();
        } finally {
            app.close();
            postgres.stop();
        }
    }
}
