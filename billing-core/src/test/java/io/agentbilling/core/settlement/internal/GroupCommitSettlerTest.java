package io.agentbilling.core.settlement.internal;

import io.agentbilling.core.settlement.GroupCommitLimits;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.ledger.Posting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.testkit.internal.LedgerFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GroupCommitSettlerTest {
    private final LedgerFixture ledger = LedgerFixture.inMemory();

    /** Delegates to the real unit of work, optionally holding every transaction until released. */
    private final class GatedTransactions implements Transactions {
        final CountDownLatch gate;
        /** Transactions a writer has begun (and that wait at the gate): a request in one was taken by a writer. */
        final java.util.concurrent.atomic.AtomicInteger begun = new java.util.concurrent.atomic.AtomicInteger();

        GatedTransactions(CountDownLatch gate) {
            this.gate = gate;
        }

        @Override
        public <T> T inTransaction(Function<Stores, T> work) {
            begun.incrementAndGet();
            try {
                gate.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return ledger.tx.inTransaction(work);
        }
    }

    @Test
    void concurrent_settlements_are_coalesced_into_fewer_transactions_and_none_is_lost() throws Exception {
        OrgId org = ledger.newOrg();
        CountDownLatch gate = new CountDownLatch(1);
        GatedTransactions tx = new GatedTransactions(gate);
        try (GroupCommitSettler settler = new GroupCommitSettler(tx, ledger.engine,
                new GroupCommitLimits(10_000, 500, 1, Duration.ofSeconds(30)))) {
            int callers = 200;
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<PostingEngine.Result>> futures = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                String key = "k" + i;
                futures.add(pool.submit(() -> settler.settle(PostingEngine.Request.of(LedgerFixture.usage(org, 3, key)))));
            }
            Thread.sleep(200); // let callers pile up behind the held first transaction
            gate.countDown();
            for (Future<PostingEngine.Result> f : futures) {
                assertThat(f.get(30, TimeUnit.SECONDS).isRejected()).isFalse();
            }
            pool.shutdown();
            assertThat(ledger.account(org).balance().micros()).isEqualTo(-3L * callers);
            assertThat(ledger.account(org).lastSequence()).isEqualTo(callers);
            assertThat(settler.settledCount()).isEqualTo(callers);
            assertThat(settler.batchCount()).isLessThan(callers / 2);
        }
    }

    @Test
    void a_request_no_writer_took_in_time_is_refused_overloaded_and_not_written_while_a_taken_one_gets_its_result()
            throws Exception {
        OrgId org = ledger.newOrg();
        CountDownLatch gate = new CountDownLatch(1);
        GatedTransactions tx = new GatedTransactions(gate);
        try (GroupCommitSettler settler = new GroupCommitSettler(tx, ledger.engine,
                new GroupCommitLimits(100, 1, 1, Duration.ofMillis(200)))) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            // The first is in the (held) writer's hands; the second waits in the queue behind it.
            Future<PostingEngine.Result> taken = pool.submit(() ->
                    settler.settle(PostingEngine.Request.of(LedgerFixture.usage(org, 3, "taken"))));
            awaitUntil(() -> tx.begun.get() == 1);
            Future<PostingEngine.Result> queued = pool.submit(() ->
                    settler.settle(PostingEngine.Request.of(LedgerFixture.usage(org, 5, "queued"))));
            assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(BillingException.class)
                    .cause().satisfies(e -> assertThat(((BillingException) e).error())
                            .isEqualTo(BillingError.OVERLOADED));
            // Past its own 200 ms, the taken request's caller still waits: its transaction is under way.
            assertThat(taken.isDone()).isFalse();
            gate.countDown();
            PostingEngine.Result committed = taken.get(5, TimeUnit.SECONDS);
            assertThat(committed.isRejected()).isFalse();
            pool.shutdown();
            // The taken one landed and its caller was told so; the queued one was withdrawn, never written.
            assertThat(ledger.account(org).balance().micros()).isEqualTo(-3L);
            assertThat(committed.record().balanceAfter().micros()).isEqualTo(-3L);
            assertThat(settler.abandonedCount()).isEqualTo(1);
        }
    }

    @Test
    void a_full_queue_refuses_at_once_as_overloaded() throws Exception {
        OrgId org = ledger.newOrg();
        CountDownLatch gate = new CountDownLatch(1);
        GatedTransactions tx = new GatedTransactions(gate);
        try (GroupCommitSettler settler = new GroupCommitSettler(tx, ledger.engine,
                new GroupCommitLimits(2, 1, 1, Duration.ofSeconds(30)))) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<PostingEngine.Result>> parked = new ArrayList<>();
            for (int i = 0; i < 3; i++) { // one in the writer's hands, two fill the queue
                String key = "p" + i;
                parked.add(pool.submit(() -> settler.settle(PostingEngine.Request.of(LedgerFixture.usage(org, 1, key)))));
                if (i == 0) {
                    awaitUntil(() -> tx.begun.get() == 1);
                }
            }
            awaitUntil(() -> settler.queued() == 2);
            long started = System.nanoTime();
            assertThatThrownBy(() -> settler.settle(PostingEngine.Request.of(LedgerFixture.usage(org, 1, "overflow"))))
                    .isInstanceOfSatisfying(BillingException.class,
                            e -> assertThat(e.error()).isEqualTo(BillingError.OVERLOADED));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
            gate.countDown();
            for (Future<PostingEngine.Result> f : parked) {
                assertThat(f.get(30, TimeUnit.SECONDS).isRejected()).isFalse();
            }
            pool.shutdown();
        }
    }

    @Test
    void a_request_that_breaks_its_batch_fails_alone() throws Exception {
        OrgId org = ledger.newOrg();
        CountDownLatch gate = new CountDownLatch(1);
        Transactions poisoned = new Transactions() {
            @Override
            public <T> T inTransaction(Function<Stores, T> work) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return ledger.tx.inTransaction(stores -> {
                    T result = work.apply(stores);
                    boolean poison = ledger.tx.read(s -> s.ledger().findKey(
                            new IdempotencyRecord.ScopedKey(org, "poison"))).isPresent();
                    if (poison) {
                        throw new IllegalStateException("a constraint the engine did not foresee");
                    }
                    return result;
                });
            }
        };
        try (GroupCommitSettler settler = new GroupCommitSettler(poisoned, ledger.engine,
                new GroupCommitLimits(100, 100, 1, Duration.ofSeconds(30)))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<PostingEngine.Result>> good = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String key = "good" + i;
                good.add(pool.submit(() -> settler.settle(PostingEngine.Request.of(LedgerFixture.usage(org, 10, key)))));
            }
            Future<PostingEngine.Result> bad = pool.submit(() ->
                    settler.settle(PostingEngine.Request.of(LedgerFixture.usage(org, 10, "poison"))));
            Thread.sleep(200);
            gate.countDown();
            for (Future<PostingEngine.Result> f : good) {
                assertThat(f.get(30, TimeUnit.SECONDS).isRejected()).isFalse();
            }
            PostingEngine.Result refused = bad.get(30, TimeUnit.SECONDS);
            assertThat(refused.error()).isEqualTo(BillingError.INTERNAL);
            assertThat(refused.cause()).isInstanceOf(IllegalStateException.class);
            pool.shutdown();
            assertThat(ledger.account(org).balance().micros()).isEqualTo(-50);
        }
    }

    @Test
    void shutdown_finishes_what_is_queued_and_then_refuses() throws Exception {
        OrgId org = ledger.newOrg();
        GroupCommitSettler settler = new GroupCommitSettler(ledger.tx, ledger.engine,
                GroupCommitLimits.defaults().withCallerTimeout(Duration.ofSeconds(30)));
        assertThat(settler.settle(PostingEngine.Request.of(LedgerFixture.usage(org, 1, "before"))).isRejected()).isFalse();
        settler.shutdown(Duration.ofSeconds(5));
        assertThatThrownBy(() -> settler.settle(PostingEngine.Request.of(LedgerFixture.usage(org, 1, "after"))))
                .isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.error()).isEqualTo(BillingError.UNAVAILABLE));
        assertThat(ledger.account(org).lastSequence()).isEqualTo(1);
    }

    @Test
    void several_writers_draining_one_queue_with_calls_of_several_sizes_lose_nothing() throws Exception {
        OrgId org = ledger.newOrg();
        try (GroupCommitSettler settler = new GroupCommitSettler(ledger.tx, ledger.engine,
                new GroupCommitLimits(10_000, 5, 4, Duration.ofSeconds(60)))) {
            ExecutorService pool = Executors.newFixedThreadPool(24);
            List<Future<List<PostingEngine.Result>>> futures = new ArrayList<>();
            int requests = 0;
            for (int i = 0; i < 600; i++) {
                int size = 1 + i % 4; // 1..4 requests per call, against batches of at most 5
                List<PostingEngine.Request> call = new ArrayList<>();
                for (int r = 0; r < size; r++) {
                    call.add(PostingEngine.Request.of(LedgerFixture.usage(org, 1, "c" + i + "-" + r)));
                }
                requests += size;
                futures.add(pool.submit(() -> settler.settle(call)));
            }
            for (Future<List<PostingEngine.Result>> f : futures) {
                assertThat(f.get(60, TimeUnit.SECONDS)).noneMatch(PostingEngine.Result::isRejected);
            }
            pool.shutdown();
            assertThat(ledger.account(org).lastSequence()).isEqualTo(requests);
            assertThat(settler.settledCount()).isEqualTo(requests);
        }
    }

    @Test
    void a_call_spanning_the_lanes_of_several_writers_gets_every_result_in_request_order() throws Exception {
        List<OrgId> orgs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            orgs.add(ledger.newOrg());
        }
        try (GroupCommitSettler settler = new GroupCommitSettler(ledger.tx, ledger.engine,
                new GroupCommitLimits(10_000, 1_000, 3, Duration.ofSeconds(60)))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<List<PostingEngine.Result>>> futures = new ArrayList<>();
            List<List<PostingEngine.Request>> calls = new ArrayList<>();
            for (int c = 0; c < 40; c++) {
                List<PostingEngine.Request> call = new ArrayList<>();
                for (int r = 0; r < 30; r++) {
                    call.add(PostingEngine.Request.of(LedgerFixture.usage(orgs.get((c + r * 7) % orgs.size()), 1 + r,
                            "call" + c + "-" + r)));
                }
                calls.add(call);
                futures.add(pool.submit(() -> settler.settle(call)));
            }
            long[] expected = new long[orgs.size()];
            for (int c = 0; c < calls.size(); c++) {
                List<PostingEngine.Result> results = futures.get(c).get(60, TimeUnit.SECONDS);
                assertThat(results).hasSize(calls.get(c).size());
                for (int r = 0; r < results.size(); r++) {
                    Posting asked = calls.get(c).get(r).posting();
                    assertThat(results.get(r).record().orgId()).isEqualTo(asked.orgId());
                    assertThat(results.get(r).record().key()).isEqualTo(asked.idempotencyKey());
                    expected[orgs.indexOf(asked.orgId())] += asked.amount().micros();
                }
            }
            pool.shutdown();
            for (int o = 0; o < orgs.size(); o++) {
                assertThat(ledger.account(orgs.get(o)).balance().micros()).isEqualTo(expected[o]);
            }
            assertThat(settler.settledCount()).isEqualTo(40L * 30);
        }
    }

    /** Waits (at most 10 s) for a state another thread reaches; no fixed sleep that a loaded machine could outlast. */
    private static void awaitUntil(java.util.function.BooleanSupplier reached) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!reached.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the expected state was not reached within 10 s");
            }
            Thread.sleep(5);
        }
    }
}
