package io.agentbilling.jdbc;

import io.agentbilling.core.settlement.GroupCommitLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.settlement.internal.BalanceWatcher;
import io.agentbilling.core.settlement.internal.GroupCommitSettler;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.testkit.internal.LedgerFixture;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.core.usecase.VerifyLedger;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.setup.Migrations;
import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.jdbc.testing.TestDatabaseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ledger on PostgreSQL with real threads and the real pool. */
class JdbiLedgerUnderLoadTest {
    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    private static JdbiTransactions tx;
    private static LedgerFixture ledger;
    private static HikariDataSource pool;

    @BeforeAll
    static void connect() {
        // Its own pool with a patient connection timeout: up to 32 threads share 8 connections on a busy machine.
        pool = DataSources.create(DB.config().withPoolSize(8).withConnectionTimeout(Duration.ofSeconds(30)));
        tx = new JdbiTransactions(JdbiTransactions.jdbi(pool));
        ledger = new LedgerFixture(tx, MutableClock.at("2026-11-27T10:00:00Z"), BalanceWatcher.NONE);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    private static void runThreads(int threads, ThrowingTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    task.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    interface ThrowingTask {
        void run(int thread) throws Exception;
    }

    @Test
    void sixteen_threads_times_five_hundred_debits_on_one_org_lose_nothing() throws Exception {
        OrgId org = ledger.newOrg();
        runThreads(16, thread -> {
            for (int i = 0; i < 500; i++) {
                PostingEngine.Result r = ledger.post(LedgerFixture.usage(org, 1_000, "d-" + thread + "-" + i));
                assertThat(r.isRejected()).isFalse();
            }
        });
        assertThat(ledger.account(org).balance().micros()).isEqualTo(-1_000L * 8_000);
        assertThat(ledger.account(org).lastSequence()).isEqualTo(8_000);
        assertThat(countEntries(org)).isEqualTo(8_000);
        VerifyLedger.Report report = new VerifyLedger(tx).execute();
        assertThat(report.drifts()).isEmpty();
    }

    @Test
    void debits_across_many_orgs_at_once_land_on_the_right_accounts() throws Exception {
        List<OrgId> orgs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            orgs.add(ledger.newOrg());
        }
        runThreads(8, thread -> {
            for (int i = 0; i < 40; i++) {
                // Each thread walks the orgs in its own order, and posts two-org batches, to invite deadlocks.
                OrgId a = orgs.get((i * 7 + thread) % orgs.size());
                OrgId b = orgs.get((i * 13 + thread * 3 + 1) % orgs.size());
                List<PostingEngine.Result> results = ledger.post(List.of(
                        LedgerFixture.usage(a, 10, "m-" + thread + "-" + i + "-a"),
                        LedgerFixture.usage(b, 10, "m-" + thread + "-" + i + "-b")));
                assertThat(results).noneMatch(PostingEngine.Result::isRejected);
            }
        });
        long total = orgs.stream().mapToLong(o -> ledger.account(o).balance().micros()).sum();
        assertThat(total).isEqualTo(-10L * 8 * 40 * 2);
        assertThat(new VerifyLedger(tx).execute().drifts()).isEmpty();
    }

    @Test
    void group_commit_on_a_hot_org_coalesces_and_stays_exact() throws Exception {
        OrgId org = ledger.newOrg();
        try (GroupCommitSettler settler = new GroupCommitSettler(tx, ledger.engine,
                new GroupCommitLimits(10_000, 500, 2, Duration.ofSeconds(60)))) {
            runThreads(32, thread -> {
                for (int i = 0; i < 100; i++) {
                    PostingEngine.Result r = settler.settle(PostingEngine.Request.of(
                            LedgerFixture.usage(org, 3, "g-" + thread + "-" + i)));
                    assertThat(r.isRejected()).isFalse();
                }
            });
            assertThat(settler.settledCount()).isEqualTo(3_200);
            assertThat(settler.batchCount()).isLessThan(3_200);
        }
        assertThat(ledger.account(org).balance().micros()).isEqualTo(-3L * 3_200);
        assertThat(countEntries(org)).isEqualTo(3_200);
    }

    @Test
    void bad_data_is_refused_as_a_core_error_and_never_reaches_the_tables() {
        // The core refuses such values first; one that still reaches the database is a bug: INTERNAL, not a 4xx.
        Org tooLong = new Org(new OrgId(UUID.randomUUID()), "x".repeat(201), "free", Instant.now());
        assertThatThrownBy(() -> tx.inTransaction(s -> {
            s.directory().insertOrg(tooLong);
            return null;
        })).isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.error()).isEqualTo(BillingError.INTERNAL));
        OrgId org = ledger.newOrg();
        assertThatThrownBy(() -> tx.inTransaction(s -> {
            s.directory().insertOrg(new Org(org, "again", "free", Instant.now()));
            return null;
        })).isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.error()).isEqualTo(BillingError.CONFLICT));
    }

    @Test
    void ledger_entries_cannot_be_updated_or_deleted() {
        OrgId org = ledger.newOrg();
        ledger.post(LedgerFixture.topup(org, 100, "t"));
        assertThatThrownBy(() -> tx.jdbi().useHandle(h ->
                h.execute("UPDATE ledger_entries SET amount_micros = 0 WHERE org_id = ?", org.value())))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> tx.jdbi().useHandle(h ->
                h.execute("DELETE FROM ledger_entries WHERE org_id = ?", org.value())))
                .hasMessageContaining("append-only");
        assertThat(countEntries(org)).isEqualTo(1);
    }

    @Test
    void migrating_an_already_migrated_database_applies_nothing() {
        assertThat(Migrations.migrate(DB.dataSource())).isZero();
    }

    private static long countEntries(OrgId org) {
        return tx.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM ledger_entries WHERE org_id = :org")
                .bind("org", org.value()).mapTo(Long.class).one());
    }
}
