package io.agentbilling.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.port.Stores;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.testing.TestDatabaseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Insert-if-absent races on the payment tables, with real threads, each in its own transaction on its own connection:
 * on PostgreSQL a unique index, not the in-memory store's global lock, must pick the one winner. The winner keeps its
 * transaction open until PostgreSQL shows every other racer waiting on it, so each round really overlaps.
 */
class JdbiPaymentStoreRaceTest {
    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final int ROUNDS = 5;
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    /** Eight racers and the winner's look at pg_stat_activity, which the class's 4-connection pool cannot hold. */
    private static final int POOL_SIZE = 10;

    private static HikariDataSource pool;
    private static JdbiTransactions tx;

    @BeforeAll
    static void connect() {
        pool = DataSources.create(DB.config().withPoolSize(POOL_SIZE));
        tx = new JdbiTransactions(JdbiTransactions.jdbi(pool));
    }

    @AfterAll
    static void disconnect() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void two_transactions_starting_an_auto_topup_for_one_org_at_once_leave_exactly_one_in_flight() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            OrgId org = newOrg();

            Race race = race(2, stores -> stores.payments().insertAttemptIfNoneInFlight(
                    AutoTopupAttempt.pending(AutoTopupAttemptId.random(), org, 2_500, T0)));

            assertThat(race.results()).as("round " + round).containsExactlyInAnyOrder(true, false);
            assertThat(race.overlapped()).as("round " + round + ": the loser waited on the winner").isTrue();
            List<AutoTopupAttempt> attempts = tx.read(s -> s.payments().attempts(org, 10));
            assertThat(attempts).as("round " + round).hasSize(1).allMatch(a -> a.status().inFlight());
        }
    }

    @Test
    void one_webhook_event_marked_from_eight_threads_at_once_is_new_exactly_once() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            String event = "evt_" + UUID.randomUUID();

            Race race = race(8, stores -> stores.payments().markEventProcessed(event, T0));

            assertThat(race.results()).as("round " + round).hasSize(8).containsOnlyOnce(true);
            assertThat(race.overlapped()).as("round " + round + ": seven racers waited on the winner").isTrue();
            boolean redelivery = tx.inTransaction(s -> s.payments().markEventProcessed(event, T0));
            assertThat(redelivery).isFalse();
        }
    }

    @Test
    void an_update_that_would_put_a_second_attempt_of_the_org_in_flight_is_refused_by_the_index() {
        OrgId org = newOrg();
        AutoTopupAttempt inFlight = AutoTopupAttempt.pending(AutoTopupAttemptId.random(), org, 2_500, T0);
        AutoTopupAttempt ended = AutoTopupAttempt.pending(AutoTopupAttemptId.random(), org, 2_500, T0)
                .canceled("auto_topup_disabled", T0);
        tx.inTransaction(s -> s.payments().insertAttemptIfNoneInFlight(inFlight)
                && s.payments().insertAttemptIfNoneInFlight(ended));

        assertThatThrownBy(() -> tx.inTransaction(s -> {
            s.payments().updateAttempt(ended.retryLater(T0.plusSeconds(30), T0));
            return null;
        })).isInstanceOfSatisfying(BillingException.class,
                e -> assertThat(e.error()).isEqualTo(BillingError.CONFLICT));
        Optional<AutoTopupAttempt> stored = tx.read(s -> s.payments().findAttempt(ended.id()));
        assertThat(stored).get().extracting(AutoTopupAttempt::status).isEqualTo(AutoTopupAttempt.Status.CANCELED);
    }

    /** What each racer's call returned, and whether the winner saw all the others wait for its commit. */
    private record Race(List<Boolean> results, boolean overlapped) {}

    /**
     * Runs {@code work} from {@code racers} threads at once, each in its own transaction. A racer whose call returned
     * true holds its transaction open until the others are seen waiting on a lock (or {@link #MAX_WAIT} passed).
     */
    private static Race race(int racers, Function<Stores, Boolean> work) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(racers);
        try {
            CyclicBarrier start = new CyclicBarrier(racers);
            AtomicBoolean overlapped = new AtomicBoolean();
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                futures.add(threads.submit(() -> tx.inTransaction(stores -> {
                    awaitQuietly(start);
                    boolean won = work.apply(stores);
                    if (won && awaitSessionsWaitingOnLocks(racers - 1)) {
                        overlapped.set(true);
                    }
                    return won;
                })));
            }
            List<Boolean> results = new ArrayList<>();
            for (Future<Boolean> future : futures) {
                results.add(future.get(2 * MAX_WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            return new Race(results, overlapped.get());
        } finally {
            threads.shutdownNow();
        }
    }

    private static boolean awaitSessionsWaitingOnLocks(int sessions) {
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            long waiting = tx.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity"
                            + " WHERE datname = current_database() AND wait_event_type = 'Lock'")
                    .mapTo(Long.class).one());
            if (waiting >= sessions) {
                return true;
            }
            sleep(Duration.ofMillis(5));
        }
        return false;
    }

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await(MAX_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the racers did not all start", e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static OrgId newOrg() {
        OrgId id = new OrgId(UUID.randomUUID());
        tx.inTransaction(s -> {
            s.directory().insertOrg(new Org(id, "Org " + id, "free", T0));
            s.ledger().createAccount(id, T0);
            return null;
        });
        return id;
    }
}
