package io.agentbilling.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.BalanceWatcher;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.usecase.VerifyLedger;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.setup.Migrations;
import io.agentbilling.jdbc.testing.TestDatabaseExtension;
import io.agentbilling.jdbc.testing.TestDatabases;
import io.agentbilling.testkit.internal.LedgerFixture;
import io.agentbilling.testkit.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A settlement is one appended row (V6): its ledger entry carries its idempotency key under a unique constraint and
 * its payload's fingerprint, a replay reads that row, a write without an entry keeps one key row, the entry table
 * keeps two indexes and every ledger read still goes through one of them, and databases of earlier versions move
 * their keys into their entries.
 */
class LedgerKeysInEntriesTest {
    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    private static HikariDataSource pool;
    private static JdbiTransactions tx;
    private static LedgerFixture ledger;

    @BeforeAll
    static void connect() {
        pool = DataSources.create(DB.config().withPoolSize(8).withConnectionTimeout(Duration.ofSeconds(30)));
        tx = new JdbiTransactions(JdbiTransactions.jdbi(pool));
        ledger = new LedgerFixture(tx, MutableClock.at("2026-11-27T10:00:00Z"), BalanceWatcher.NONE);
    }

    @AfterAll
    static void closePool() {
        pool.close();
    }

    @Test
    void a_settlement_is_one_entry_row_that_records_its_key_and_a_replay_reads_that_row() {
        OrgId org = ledger.newOrg();
        PostingEngine.Result first = ledger.post(LedgerFixture.usage(org, 1_000, "k-1"));
        assertThat(first.isRejected()).isFalse();
        assertThat(first.replayed()).isFalse();
        assertThat(count("SELECT count(*) FROM ledger_entries WHERE org_id = '" + org.value() + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE org_id = '" + org.value() + "'")).isZero();
        assertThat(text("SELECT fingerprint FROM ledger_entries WHERE org_id = '" + org.value() + "'"))
                .isEqualTo("usage:1000");

        PostingEngine.Result replay = ledger.post(LedgerFixture.usage(org, 1_000, "k-1"));
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.record().entryId()).isEqualTo(first.record().entryId());
        assertThat(replay.record().balanceAfter()).isEqualTo(first.record().balanceAfter());
        assertThat(replay.record().createdAt()).isEqualTo(first.record().createdAt());
        PostingEngine.Result conflict = ledger.post(LedgerFixture.usage(org, 2_000, "k-1"));
        assertThat(conflict.error()).isEqualTo(BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(count("SELECT count(*) FROM ledger_entries WHERE org_id = '" + org.value() + "'")).isEqualTo(1);
        assertThat(tx.readOne(s -> s.ledger().findEntryByKey(org, "k-1")).orElseThrow().id())
                .isEqualTo(first.record().entryId());
    }

    @Test
    void a_write_that_moves_no_money_is_recorded_by_one_key_row_with_its_outcome() {
        OrgId org = ledger.newOrg();
        ledger.post(LedgerFixture.topup(org, 5_000, "t"));
        PostingEngine.Result free = ledger.post(LedgerFixture.usage(org, 0, "free-1"));
        assertThat(free.record().entryId()).isNull();
        assertThat(count("SELECT count(*) FROM idempotency_keys WHERE org_id = '" + org.value()
                + "' AND key = 'free-1' AND entry_id IS NULL AND balance_after_micros = 5000")).isEqualTo(1);
        assertThat(ledger.post(LedgerFixture.usage(org, 0, "free-1")).replayed()).isTrue();
        assertThat(ledger.post(LedgerFixture.usage(org, 7, "free-1")).error())
                .isEqualTo(BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(count("SELECT count(*) FROM ledger_entries WHERE org_id = '" + org.value() + "'")).isEqualTo(1);
    }

    @Test
    void keys_of_other_writes_and_of_ledger_writes_share_the_org_namespace() {
        OrgId org = ledger.newOrg();
        ledger.post(LedgerFixture.usage(org, 10, "shared"));
        Map<IdempotencyRecord.ScopedKey, IdempotencyRecord> taken = tx.inTransaction(s -> s.ledger().claimKeys(
                List.of(IdempotencyRecord.claim(org, "shared", "sandbox-start", ledger.clock.instant()))));
        assertThat(taken).hasSize(1);
        assertThat(taken.values().iterator().next().fingerprint()).isEqualTo("usage:10");

        tx.inTransaction(s -> {
            IdempotencyRecord claim = IdempotencyRecord.claim(org, "claimed-first", "sandbox-start",
                    ledger.clock.instant());
            assertThat(s.ledger().claimKeys(List.of(claim))).isEmpty();
            s.ledger().completeKeys(List.of(claim.withOutcome(null, io.agentbilling.core.money.Credits.ZERO,
                    io.agentbilling.core.money.Credits.ZERO, "sandbox-1")));
            return null;
        });
        assertThat(ledger.post(LedgerFixture.usage(org, 10, "claimed-first")).error())
                .isEqualTo(BillingError.IDEMPOTENCY_CONFLICT);
    }

    @Test
    void the_same_keys_sent_from_many_threads_at_once_are_written_exactly_once() throws Exception {
        List<OrgId> orgs = List.of(ledger.newOrg(), ledger.newOrg());
        int keys = 200;
        AtomicInteger applied = new AtomicInteger();
        AtomicInteger replayed = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(threads.submit(() -> {
                    List<Integer> order = new ArrayList<>();
                    for (int k = 0; k < keys; k++) {
                        order.add(k);
                    }
                    Collections.shuffle(order, new java.util.Random(thread));
                    for (int from = 0; from < keys; from += 10) {
                        List<Posting> batch = new ArrayList<>();
                        for (int k : order.subList(from, from + 10)) {
                            batch.add(LedgerFixture.usage(orgs.get(k % 2), 100, "same-" + k));
                        }
                        for (PostingEngine.Result r : ledger.post(batch)) {
                            assertThat(r.isRejected()).isFalse();
                            (r.replayed() ? replayed : applied).incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(applied.get()).isEqualTo(keys);
        assertThat(replayed.get()).isEqualTo(keys * 7);
        for (OrgId org : orgs) {
            assertThat(count("SELECT count(*) FROM ledger_entries WHERE org_id = '" + org.value() + "'"))
                    .isEqualTo(keys / 2);
            assertThat(ledger.account(org).balance().micros()).isEqualTo(-100L * keys / 2);
        }
        assertThat(new VerifyLedger(tx).execute().drifts()).isEmpty();
    }

    @Test
    void an_account_locked_after_another_write_is_read_with_that_writes_grant_lots() throws Exception {
        OrgId org = ledger.newOrg();
        ledger.post(LedgerFixture.grant(org, 500, null, "lot-1"));
        io.agentbilling.core.ledger.CreditGrant lot = tx.read(s -> s.ledger().grants(org)).stream()
                .filter(io.agentbilling.core.ledger.CreditGrant::isOpen).findFirst().orElseThrow();
        ExecutorService second = Executors.newSingleThreadExecutor();
        try (java.sql.Connection writer = pool.getConnection()) {
            writer.setAutoCommit(false);
            try (java.sql.PreparedStatement lock = writer.prepareStatement(
                    "SELECT org_id FROM accounts WHERE org_id = ? FOR UPDATE");
                 java.sql.PreparedStatement spend = writer.prepareStatement(
                         "UPDATE credit_grants SET remaining_micros = 123 WHERE org_id = ? AND grant_id = ?")) {
                lock.setObject(1, org.value());
                lock.executeQuery().close();
                spend.setObject(1, org.value());
                spend.setObject(2, lot.id().value());
                assertThat(spend.executeUpdate()).isEqualTo(1);
            }
            // Another transaction asks for the lock while this one holds it, and waits.
            Future<io.agentbilling.core.ledger.Account> locked = second.submit(() ->
                    tx.inTransaction(s -> s.ledger().lockAccounts(List.of(org)).get(org)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE '%FOR UPDATE%'") == 0) {
                assertThat(System.nanoTime()).as("the second transaction waits for the lock").isLessThan(deadline);
                Thread.sleep(10);
            }
            writer.commit();
            io.agentbilling.core.ledger.Account account = locked.get(30, TimeUnit.SECONDS);
            assertThat(account.openGrants()).singleElement()
                    .satisfies(g -> assertThat(g.remaining().micros()).isEqualTo(123));
        } finally {
            second.shutdownNow();
            // The lot's remainder was set behind the ledger's back: put it back, so the ledger verifies again.
            tx.jdbi().useHandle(h -> h.execute("UPDATE credit_grants SET remaining_micros = amount_micros"
                    + " WHERE org_id = ? AND grant_id = ?", org.value(), lot.id().value()));
        }
    }

    @Test
    void the_entry_table_keeps_two_indexes_and_every_ledger_read_uses_one() {
        assertThat(strings(tx, "SELECT indexname FROM pg_indexes WHERE tablename = 'ledger_entries' ORDER BY indexname"))
                .containsExactly("ledger_entries_key_unique", "ledger_entries_pkey");

        OrgId hot = ledger.newOrg();
        for (int batch = 0; batch < 3; batch++) {
            for (OrgId org : List.of(hot, ledger.newOrg(), ledger.newOrg())) {
                List<Posting> postings = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    postings.add(LedgerFixture.usage(org, 1, "plan-" + batch + "-" + i));
                }
                ledger.post(postings);
            }
        }
        tx.jdbi().useHandle(h -> h.execute("ANALYZE ledger_entries"));
        String org = "'" + hot.value() + "'::uuid";

        // History pages (newest first, after a cursor, by type, by time) walk the primary key backwards.
        assertPlan("SELECT * FROM ledger_entries WHERE org_id = " + org + " ORDER BY sequence DESC LIMIT 51",
                "ledger_entries_pkey");
        assertPlan("SELECT * FROM ledger_entries WHERE org_id = " + org + " AND sequence < 900"
                + " AND type = ANY('{usage,topup}') ORDER BY sequence DESC LIMIT 51", "ledger_entries_pkey");
        assertPlan("SELECT * FROM ledger_entries WHERE org_id = " + org + " AND created_at >= now() - interval '30 days'"
                + " AND created_at < now() ORDER BY sequence DESC LIMIT 51", "ledger_entries_pkey");
        // The public history read: the account and its page in one statement, the page still a backward walk of the
        // primary key (the outer sort orders at most one page).
        assertThat(plan("SELECT e.* FROM accounts a LEFT JOIN LATERAL (SELECT * FROM ledger_entries"
                + " WHERE org_id = a.org_id AND sequence < 900 ORDER BY sequence DESC LIMIT 51) e ON true"
                + " WHERE a.org_id = " + org + " ORDER BY e.sequence DESC"))
                .contains("Index Scan Backward using ledger_entries_pkey on ledger_entries")
                .doesNotContain("Seq Scan on ledger_entries");
        // The verifier reads in sequence order.
        assertPlan("SELECT * FROM ledger_entries WHERE org_id = " + org + " AND sequence > 100 ORDER BY sequence"
                + " LIMIT 1000", "ledger_entries_pkey");
        // A replay, and reading a write's entry back, go by the key.
        assertPlan("SELECT * FROM ledger_entries WHERE org_id = " + org + " AND idempotency_key = 'plan-1-7'",
                "ledger_entries_key_unique");
        assertPlan("SELECT e.entry_id FROM unnest(ARRAY[" + org + "], ARRAY['plan-1-7']) AS c(o, k)"
                + " JOIN ledger_entries e ON e.org_id = c.o AND e.idempotency_key = c.k", "ledger_entries_key_unique");
    }

    @Test
    void a_database_of_the_previous_version_moves_its_keys_into_their_entries_and_replays_them()
            throws Exception {
        try (HikariDataSource old = DataSources.create(TestDatabases.freshDatabase("keys_before_v6"))) {
            Flyway.configure(Migrations.class.getClassLoader()).dataSource(old).locations(Migrations.LOCATION)
                    .table(Migrations.DEFAULT_HISTORY_TABLE).target("5").load().migrate();
            UUID org = UUID.randomUUID();
            UUID topupEntry = UUID.randomUUID();
            UUID usageEntry = UUID.randomUUID();
            JdbiTransactions oldTx = new JdbiTransactions(JdbiTransactions.jdbi(old));
            oldTx.jdbi().useHandle(h -> {
                h.execute("INSERT INTO orgs VALUES (?, 'old', 'free', '2026-11-01T00:00:00Z')", org);
                h.execute("INSERT INTO accounts VALUES (?, 4000, 5000, 1000, 0, 0, 2, '2026-11-02T00:00:00Z')", org);
                h.execute("INSERT INTO ledger_entries (org_id, sequence, entry_id, type, amount_micros,"
                        + " balance_after_micros, idempotency_key, created_at) VALUES"
                        + " (?, 1, ?, 'topup', 5000, 5000, 'old-topup', '2026-11-01T00:00:00Z'),"
                        + " (?, 2, ?, 'usage', -1000, 4000, 'old-usage', '2026-11-01T01:00:00Z')",
                        org, topupEntry, org, usageEntry);
                h.execute("INSERT INTO idempotency_keys VALUES"
                        + " (?, 'old-topup', 'topup:5000', ?, 5000, 5000, NULL, '2026-11-01T00:00:00Z'),"
                        + " (?, 'old-usage', 'usage:1000', ?, -1000, 4000, NULL, '2026-11-01T01:00:00Z'),"
                        + " (?, 'old-free', 'usage:0', NULL, 0, 4000, NULL, '2026-11-01T02:00:00Z')",
                        org, topupEntry, org, usageEntry, org);
            });

            // V6, the migration under test, and every later one (V7: spend controls).
            assertThat(Migrations.migrate(old)).isEqualTo(2);

            assertThat(strings(oldTx, "SELECT idempotency_key || '=' || COALESCE(fingerprint, '-')"
                    + " FROM ledger_entries ORDER BY sequence"))
                    .containsExactly("old-topup=topup:5000", "old-usage=usage:1000");
            assertThat(strings(oldTx, "SELECT key FROM idempotency_keys")).containsExactly("old-free");

            LedgerFixture migrated = new LedgerFixture(oldTx, MutableClock.at("2026-11-27T10:00:00Z"),
                    BalanceWatcher.NONE);
            OrgId orgId = new OrgId(org);
            PostingEngine.Result topup = migrated.post(LedgerFixture.topup(orgId, 5_000, "old-topup"));
            assertThat(topup.replayed()).isTrue();
            assertThat(topup.record().entryId().value()).isEqualTo(topupEntry);
            assertThat(topup.record().balanceAfter().micros()).isEqualTo(5_000);
            assertThat(migrated.post(LedgerFixture.usage(orgId, 1_000, "old-usage")).record().balanceAfter().micros())
                    .isEqualTo(4_000);
            assertThat(migrated.post(LedgerFixture.usage(orgId, 0, "old-free")).replayed()).isTrue();
            assertThat(migrated.post(LedgerFixture.usage(orgId, 5, "old-usage")).error())
                    .isEqualTo(BillingError.IDEMPOTENCY_CONFLICT);
            PostingEngine.Result fresh = migrated.post(LedgerFixture.usage(orgId, 500, "new-usage"));
            assertThat(fresh.replayed()).isFalse();
            assertThat(fresh.record().balanceAfter().micros()).isEqualTo(3_500);
            assertThat(migrated.account(orgId).lastSequence()).isEqualTo(3);
            assertThat(new VerifyLedger(oldTx).execute().drifts()).isEmpty();
        }
    }

    /**
     * The plan of {@code query} reads through {@code index}, in the index's order (no sort). The table here is small,
     * so a sequential or bitmap scan and a sort are cheaper and the planner is told not to use them: what this proves is that an index
     * serves the read, as it must on an org with millions of entries.
     */
    private static void assertPlan(String query, String index) {
        assertThat(plan(query)).as(query).contains(index).doesNotContain("Seq Scan on ledger_entries")
                .doesNotContain("Sort Key");
    }

    private static String plan(String query) {
        return tx.jdbi().inTransaction(h -> {
            h.execute("SET LOCAL enable_seqscan = off");
            h.execute("SET LOCAL enable_bitmapscan = off");
            return String.join("\n", h.createQuery("EXPLAIN " + query).mapTo(String.class).list());
        });
    }

    private static List<String> strings(JdbiTransactions on, String sql) {
        return on.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }

    private static long count(String sql) {
        return tx.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static String text(String sql) {
        return tx.jdbi().withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }
}
