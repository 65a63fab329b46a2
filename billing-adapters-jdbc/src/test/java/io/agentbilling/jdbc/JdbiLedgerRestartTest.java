package io.agentbilling.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.settlement.internal.BalanceWatcher;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.testkit.internal.LedgerFixture;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.core.usecase.VerifyLedger;
import io.agentbilling.embedded.postgres.EmbeddedDatabase;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.setup.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop and restart the database under a running writer: every write that was acknowledged is there afterwards, exactly
 * once; writes during the outage fail fast as UNAVAILABLE; the pool serves again after the restart without being
 * rebuilt; and the verifier finds no drift.
 */
class JdbiLedgerRestartTest {

    @Test
    void acknowledged_writes_survive_a_database_restart_mid_load(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("pgdata"));
        EmbeddedDatabase database = EmbeddedDatabase.start(data, 0);
        int port = database.port();
        HikariDataSource pool = DataSources.create(DatabaseConfig.of(database.jdbcUrl(), database.user(), database.password()).withPoolSize(4));
        try {
            Migrations.migrate(pool);
            JdbiTransactions tx = new JdbiTransactions(JdbiTransactions.jdbi(pool));
            LedgerFixture ledger = new LedgerFixture(tx, MutableClock.at("2026-11-27T10:00:00Z"), BalanceWatcher.NONE);
            OrgId org = ledger.newOrg();

            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            Set<String> failed = ConcurrentHashMap.newKeySet();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                for (int i = 0; running.get() && i < 100_000; i++) {
                    String key = "w" + i;
                    try {
                        PostingEngine.Result r = ledger.post(LedgerFixture.usage(org, 10, key));
                        if (!r.isRejected()) {
                            acknowledged.add(key);
                        }
                    } catch (BillingException e) {
                        failed.add(key);
                        sleep(20);
                    }
                }
            });
            writer.start();
            waitUntil(() -> acknowledged.size() >= 200, Duration.ofSeconds(60));
            database.stop();
            int beforeRestart = acknowledged.size();
            waitUntil(() -> !failed.isEmpty(), Duration.ofSeconds(30));
            database = EmbeddedDatabase.start(data, port);
            waitUntil(() -> acknowledged.size() >= beforeRestart + 200, Duration.ofSeconds(60));
            running.set(false);
            writer.join(30_000);

            long balance = ledger.account(org).balance().micros();
            long entries = ledger.account(org).lastSequence();
            assertThat(entries).isEqualTo(balance / -10);
            assertThat(entries).isGreaterThanOrEqualTo(acknowledged.size());
            for (String key : acknowledged) {
                Optional<IdempotencyRecord> record = tx.read(s -> s.ledger().findKey(new IdempotencyRecord.ScopedKey(org, key)));
                assertThat(record).as(key).isPresent();
            }
            // A failed call may or may not have committed; a retry with its key settles it exactly once.
            for (String key : failed) {
                assertThat(ledger.post(LedgerFixture.usage(org, 10, key)).isRejected()).isFalse();
            }
            long after = ledger.account(org).lastSequence();
            assertThat(after).isEqualTo(ledger.account(org).balance().micros() / -10);
            List<VerifyLedger.Drift> drifts = new VerifyLedger(tx).execute().drifts();
            assertThat(drifts).isEmpty();
        } finally {
            pool.close();
            database.stop();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
