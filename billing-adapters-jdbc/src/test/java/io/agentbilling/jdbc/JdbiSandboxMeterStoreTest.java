package io.agentbilling.jdbc;

import io.agentbilling.jdbc.internal.DatabaseErrors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.usage.MeterStatus;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.jdbc.testing.TestDatabaseExtension;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the contract cannot show on an in-memory store: concurrent starts and locks across real connections, the
 * code-point order of ids in SQL, and the table's own constraints.
 */
class JdbiSandboxMeterStoreTest {
    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00Z");
    private static final long WAIT_SECONDS = 30;

    private static JdbiTransactions tx;
    private static ExecutorService threads;

    private final String run = UUID.randomUUID().toString().substring(0, 8) + "-";
    private OrgId org;
    private MemberId ann;

    @BeforeAll
    static void connect() {
        tx = new JdbiTransactions(JdbiTransactions.jdbi(DB.dataSource()));
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopThreads() {
        threads.shutdownNow();
    }

    @BeforeEach
    void world() {
        org = newOrg();
        ann = newMember(org);
    }

    @Test
    void of_two_starts_of_one_sandbox_at_once_the_second_waits_inserts_nothing_and_then_reads_the_first()
            throws Exception {
        SandboxMeter first = SandboxMeter.start(run + "s", org, ann, "small", T0);
        SandboxMeter second = SandboxMeter.start(run + "s", org, newMember(org), "large", T0.plusSeconds(1));
        CountDownLatch firstInserted = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        Future<Boolean> firstStart = threads.submit(() -> tx.inTransaction(stores -> {
            boolean inserted = stores.meters().insertIfAbsent(first);
            firstInserted.countDown();
            await(commitFirst);
            return inserted;
        }));
        await(firstInserted);
        Future<Optional<SandboxMeter>> secondStart = threads.submit(() -> tx.inTransaction(stores -> {
            assertThat(stores.meters().insertIfAbsent(second)).isFalse();
            return stores.meters().find(run + "s");
        }));
        waitUntilSessionsWaitOnLocks(1);
        assertThat(secondStart.isDone()).isFalse();

        commitFirst.countDown();
        assertThat(firstStart.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(secondStart.get(WAIT_SECONDS, TimeUnit.SECONDS)).contains(first);
    }

    @Test
    void a_meter_locked_for_update_makes_the_next_locker_wait_and_then_see_the_committed_state() throws Exception {
        SandboxMeter meter = SandboxMeter.start(run + "l", org, ann, "small", T0);
        insert(meter);
        SandboxMeter settled = meter.heartbeat(T0.plusSeconds(30)).settle(30, 0, false);
        CountDownLatch firstLocked = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        Future<SandboxMeter> firstSettlement = threads.submit(() -> tx.inTransaction(stores -> {
            SandboxMeter locked = stores.meters().findForUpdate(run + "l").orElseThrow();
            firstLocked.countDown();
            await(commitFirst);
            stores.meters().update(settled);
            return locked;
        }));
        await(firstLocked);
        Future<Optional<SandboxMeter>> secondSettlement = threads.submit(() -> tx.inTransaction(stores ->
                stores.meters().findForUpdate(run + "l")));
        waitUntilSessionsWaitOnLocks(1);
        assertThat(secondSettlement.isDone()).isFalse();

        commitFirst.countDown();
        assertThat(firstSettlement.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(meter);
        assertThat(secondSettlement.get(WAIT_SECONDS, TimeUnit.SECONDS)).contains(settled);
    }

    /**
     * Code point order, whatever the database's default collation: "B" before "a" (a linguistic collation puts it
     * after), and U+FF5E before U+1F600 (UTF-16 order, Java's {@code String.compareTo}, puts the surrogate pair first).
     */
    @Test
    void sandbox_ids_are_ordered_by_code_point() {
        Instant longAgo = Instant.parse("1999-01-01T00:00:00Z"); // before anything another test leaves behind
        List<String> ids = List.of("\uD83D\uDE00", "a", "\uFF5E", "\u00E9", "B");
        for (String id : ids) {
            insert(SandboxMeter.start(run + id, org, ann, "small", longAgo));
        }
        List<String> expected = List.of(run + "B", run + "a", run + "\u00E9", run + "\uFF5E", run + "\uD83D\uDE00");

        List<SandboxMeter> open = tx.read(stores -> stores.meters().openMeters(org, null));
        List<SandboxMeter> silent = tx.read(stores -> stores.meters()
                .silentSince(EnumSet.of(MeterStatus.ACTIVE), longAgo.plusSeconds(1), 100));
        assertThat(open).extracting(SandboxMeter::sandboxId).containsExactlyElementsOf(expected);
        assertThat(silent).extracting(SandboxMeter::sandboxId).containsExactlyElementsOf(expected);
    }

    @Test
    void the_table_refuses_negative_counters_unknown_statuses_and_members_of_another_org() {
        insert(SandboxMeter.start(run + "c", org, ann, "small", T0));
        assertThat(sqlStateOf("UPDATE sandbox_meters SET settled_seconds = -1 WHERE sandbox_id = ?", run + "c"))
                .isEqualTo("23514");
        assertThat(sqlStateOf("UPDATE sandbox_meters SET forgiven_seconds = -1 WHERE sandbox_id = ?", run + "c"))
                .isEqualTo("23514");
        assertThat(sqlStateOf("UPDATE sandbox_meters SET status = 'lost' WHERE sandbox_id = ?", run + "c"))
                .isEqualTo("23514");

        MemberId stranger = newMember(newOrg());
        assertThatThrownBy(() -> insert(SandboxMeter.start(run + "x", org, stranger, "small", T0)))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.INTERNAL));
        assertThat(find(run + "x")).isEmpty();
    }

    @Test
    void an_update_that_would_change_the_identity_of_a_meter_is_refused() {
        SandboxMeter meter = SandboxMeter.start(run + "i", org, ann, "small", T0);
        insert(meter);
        SandboxMeter resized = new SandboxMeter(meter.sandboxId(), org, ann, "large", T0, T0, T0, 0, 0,
                MeterStatus.ACTIVE);
        assertThatThrownBy(() -> tx.inTransaction(stores -> {
            stores.meters().update(resized);
            return null;
        })).isInstanceOf(IllegalStateException.class);
        assertThat(find(run + "i")).contains(meter);
    }

    private static void insert(SandboxMeter meter) {
        boolean inserted = tx.inTransaction(stores -> stores.meters().insertIfAbsent(meter));
        assertThat(inserted).isTrue();
    }

    private static Optional<SandboxMeter> find(String sandboxId) {
        return tx.read(stores -> stores.meters().find(sandboxId));
    }

    private static OrgId newOrg() {
        OrgId id = new OrgId(UUID.randomUUID());
        tx.inTransaction(stores -> {
            stores.directory().insertOrg(new Org(id, "meters " + id, "pro", T0));
            return null;
        });
        return id;
    }

    private static MemberId newMember(OrgId orgId) {
        MemberId id = new MemberId(UUID.randomUUID());
        tx.inTransaction(stores -> {
            stores.directory().insertMember(new Member(id, orgId, null, Role.MEMBER, T0));
            return null;
        });
        return id;
    }

    private static String sqlStateOf(String sql, Object argument) {
        try {
            tx.jdbi().useHandle(h -> h.execute(sql, argument));
        } catch (RuntimeException e) {
            return DatabaseErrors.sqlState(e);
        }
        throw new AssertionError("accepted: " + sql);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("timed out waiting for the other transaction");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until exactly {@code count} sessions of this database wait on a lock. */
    private static void waitUntilSessionsWaitOnLocks(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (lockWaiters() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " session(s) waiting on a lock");
            }
            Thread.sleep(10);
        }
    }

    private static int lockWaiters() {
        return tx.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND wait_event_type = 'Lock'")
                .mapTo(Integer.class).one());
    }
}
