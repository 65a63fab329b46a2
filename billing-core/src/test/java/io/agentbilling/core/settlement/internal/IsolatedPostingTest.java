package io.agentbilling.core.settlement.internal;

import io.agentbilling.core.settlement.GroupCommitLimits;
import io.agentbilling.core.ledger.LedgerEntry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.port.LedgerStore;
import io.agentbilling.core.port.PaymentStore;
import io.agentbilling.core.port.SandboxMeterStore;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.port.UsageStore;
import io.agentbilling.core.port.DirectoryStore;
import io.agentbilling.testkit.internal.LedgerFixture;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A transaction that fails because of one request must not fail the others: the settlers split the batch and retry
 * until the request at fault is alone, refuse it with its own error, and commit everything else.
 */
class IsolatedPostingTest {
    private final LedgerFixture ledger = LedgerFixture.inMemory();

    /**
     * The real unit of work, whose ledger store fails any write that carries an entry with one of the chosen
     * idempotency keys (as a database would refuse a value), and which counts transactions.
     */
    private final class FailingOn implements Transactions {
        final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
        final AtomicInteger transactions = new AtomicInteger();

        FailingOn fail(String key, RuntimeException failure) {
            failures.put(key, failure);
            return this;
        }

        @Override
        public <T> T inTransaction(Function<Stores, T> work) {
            transactions.incrementAndGet();
            return ledger.tx.inTransaction(stores -> work.apply(failing(stores)));
        }

        private Stores failing(Stores real) {
            LedgerStore ledgerStore = (LedgerStore) Proxy.newProxyInstance(LedgerStore.class.getClassLoader(),
                    new Class<?>[] {LedgerStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("write") || method.getName().equals("post")) {
                            for (Object entry : (List<?>) args[1]) {
                                RuntimeException failure = failures.get(((LedgerEntry) entry).idempotencyKey());
                                if (failure != null) {
                                    throw failure;
                                }
                            }
                        }
                        try {
                            return method.invoke(real.ledger(), args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            return new Stores() {
                @Override
                public LedgerStore ledger() {
                    return ledgerStore;
                }

                @Override
                public UsageStore usage() {
                    return real.usage();
                }

                @Override
                public DirectoryStore directory() {
                    return real.directory();
                }

                @Override
                public PaymentStore payments() {
                    return real.payments();
                }

                @Override
                public SandboxMeterStore meters() {
                    return real.meters();
                }

                @Override
                public io.agentbilling.core.port.SpendStore spend() {
                    return real.spend();
                }

                @Override
                public io.agentbilling.core.port.WebhookStore webhooks() {
                    return real.webhooks();
                }
            };
        }
    }

    private static List<PostingEngine.Request> requests(OrgId org, int count) {
        List<PostingEngine.Request> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(PostingEngine.Request.of(LedgerFixture.usage(org, 10, "k" + i)));
        }
        return requests;
    }

    @Test
    void one_request_the_store_refuses_is_refused_alone_and_the_other_ninety_nine_commit() {
        OrgId org = ledger.newOrg();
        FailingOn tx = new FailingOn().fail("k37", new IllegalStateException("value out of range"));

        List<PostingEngine.Result> results = new DirectSettler(tx, ledger.engine).settle(requests(org, 100));

        assertThat(results).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(results.get(i).isRejected()).as("request " + i).isEqualTo(i == 37);
        }
        assertThat(results.get(37).error()).isEqualTo(BillingError.INTERNAL);
        assertThat(results.get(37).cause()).hasMessage("value out of range");
        assertThat(ledger.account(org).balance().micros()).isEqualTo(-10L * 99);
        assertThat(ledger.account(org).lastSequence()).isEqualTo(99);
        // The whole batch, then halves down to the request: about 2 log2(100) transactions, not 100.
        assertThat(tx.transactions.get()).isLessThanOrEqualTo(1 + 2 * 7);
    }

    @Test
    void a_refusal_the_core_decided_keeps_its_kind_and_fields() {
        OrgId org = ledger.newOrg();
        BillingException tooLarge = BillingException.of(BillingError.UNPROCESSABLE, "amount too large",
                List.of(new FieldIssue("amountMicros", "too large")));
        FailingOn tx = new FailingOn().fail("k3", tooLarge).fail("k8", new IllegalArgumentException("bug"));

        List<PostingEngine.Result> results = new DirectSettler(tx, ledger.engine).settle(requests(org, 10));

        assertThat(results.get(3).error()).isEqualTo(BillingError.UNPROCESSABLE);
        assertThat(results.get(3).details()).containsExactly(new FieldIssue("amountMicros", "too large"));
        assertThat(results.get(3).toException().details()).containsExactly(new FieldIssue("amountMicros", "too large"));
        assertThat(results.get(8).error()).isEqualTo(BillingError.INTERNAL);
        assertThat(results.stream().filter(PostingEngine.Result::isRejected)).hasSize(2);
        assertThat(ledger.account(org).lastSequence()).isEqualTo(8);
    }

    @Test
    void a_batch_without_failures_is_one_transaction() {
        OrgId org = ledger.newOrg();
        FailingOn tx = new FailingOn();
        new DirectSettler(tx, ledger.engine).settle(requests(org, 500));
        assertThat(tx.transactions.get()).isEqualTo(1);
    }

    @Test
    void an_unavailable_database_fails_the_whole_call_so_that_it_is_retried_with_the_same_keys() {
        OrgId org = ledger.newOrg();
        FailingOn tx = new FailingOn().fail("k1", BillingException.of(BillingError.UNAVAILABLE, "gone"));
        assertThatThrownBy(() -> new DirectSettler(tx, ledger.engine).settle(requests(org, 4)))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.UNAVAILABLE));
        assertThat(ledger.account(org).lastSequence()).isZero();
    }

    @Test
    void a_key_repeated_on_both_sides_of_a_split_replays_as_if_the_requests_came_one_after_another() {
        OrgId org = ledger.newOrg();
        FailingOn tx = new FailingOn().fail("bad", new IllegalStateException("refused"));
        List<PostingEngine.Request> requests = List.of(
                PostingEngine.Request.of(LedgerFixture.usage(org, 10, "same")),
                PostingEngine.Request.of(LedgerFixture.usage(org, 10, "bad")),
                PostingEngine.Request.of(LedgerFixture.usage(org, 10, "same")),
                PostingEngine.Request.of(LedgerFixture.usage(org, 99, "same")));

        List<PostingEngine.Result> results = new DirectSettler(tx, ledger.engine).settle(requests);

        assertThat(results.get(0).isRejected()).isFalse();
        assertThat(results.get(0).replayed()).isFalse();
        assertThat(results.get(1).error()).isEqualTo(BillingError.INTERNAL);
        assertThat(results.get(2).replayed()).isTrue();
        assertThat(results.get(2).record().entryId()).isEqualTo(results.get(0).record().entryId());
        assertThat(results.get(3).error()).isEqualTo(BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(ledger.account(org).lastSequence()).isEqualTo(1);
    }

    @Test
    void in_group_commit_one_callers_bad_settlement_never_fails_another_callers() throws Exception {
        OrgId org = ledger.newOrg();
        FailingOn tx = new FailingOn().fail("a-bad", new IllegalStateException("refused"));
        try (GroupCommitSettler settler = new GroupCommitSettler(tx, ledger.engine,
                new GroupCommitLimits(1_000, 1_000, 1, java.time.Duration.ofSeconds(30)))) {
            // Both calls in one batch: caller a's third request is bad; caller b's are all good.
            List<PostingEngine.Request> a = new ArrayList<>();
            List<PostingEngine.Request> b = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                a.add(PostingEngine.Request.of(LedgerFixture.usage(org, 1, i == 2 ? "a-bad" : "a" + i)));
                b.add(PostingEngine.Request.of(LedgerFixture.usage(org, 1, "b" + i)));
            }
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            var futureA = pool.submit(() -> settler.settle(a));
            var futureB = pool.submit(() -> settler.settle(b));
            List<PostingEngine.Result> resultsA = futureA.get(30, java.util.concurrent.TimeUnit.SECONDS);
            List<PostingEngine.Result> resultsB = futureB.get(30, java.util.concurrent.TimeUnit.SECONDS);
            pool.shutdown();

            assertThat(resultsB).noneMatch(PostingEngine.Result::isRejected);
            assertThat(resultsA).extracting(PostingEngine.Result::isRejected)
                    .containsExactly(false, false, true, false, false);
            assertThat(ledger.account(org).lastSequence()).isEqualTo(9);
            assertThat(Set.copyOf(ledger.tx.read(s -> s.ledger().entriesInOrder(org, 0, 100))).stream()
                    .map(LedgerEntry::idempotencyKey).toList()).doesNotContain("a-bad");
        }
    }
}
