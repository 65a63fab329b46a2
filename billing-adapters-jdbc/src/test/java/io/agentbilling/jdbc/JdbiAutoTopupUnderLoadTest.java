package io.agentbilling.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.Billing;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.testkit.FakePaymentGateway;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.GetCreditHistory;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.core.usecase.StartTopup;
import io.agentbilling.core.usecase.UpdateAutoTopup;
import io.agentbilling.core.usecase.VerifyCheckout;
import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.testing.TestDatabaseExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On PostgreSQL with real threads: a burst of debits crossing the threshold starts exactly one auto top-up. */
class JdbiAutoTopupUnderLoadTest {
    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    @Test
    void a_burst_of_concurrent_debits_crossing_the_threshold_starts_one_auto_topup() throws Exception {
        FakePaymentGateway gateway = new FakePaymentGateway();
        AtomicInteger attempts = new AtomicInteger();
        // Its own pool with a patient connection timeout: 16 threads share 8 connections on a busy machine.
        try (HikariDataSource connections = DataSources.create(DB.config().withPoolSize(8).withConnectionTimeout(Duration.ofSeconds(30)));
             PostgresBilling engine = PostgresBilling.configure().dataSource(connections).paymentGateway(gateway)
                     // Each debit in its own transaction, unbounded waits, nobody charging: the trigger alone.
                     .directSettlement().timeouts(JdbiTransactions.Timeouts.NONE).withoutBackgroundJobs()
                     .onAutoTopupAttempt((AutoTopupAttempt a) -> attempts.incrementAndGet()).start()) {
            Billing billing = engine.billing();
            OrgId org = billing.createOrg().execute(CreateOrg.Command.builder()
                    .name("Hot").plan("pro").signupGrantMicros(0L).build()).org().id();
            Member admin = billing.addMember().execute(new AddMember.Command(org, null, Role.ADMIN)).member();
            Caller caller = Caller.of(admin);
            // A paid checkout of $100 saves the card and funds the org.
            StartTopup.Result topup = billing.startTopup().execute(StartTopup.Command.builder()
                    .caller(caller).amountCents(10_000).build());
            gateway.payCheckout(topup.sessionId());
            billing.verifyCheckout().execute(new VerifyCheckout.Command(caller, topup.sessionId()));
            billing.updateAutoTopup().execute(UpdateAutoTopup.Command.builder()
                    .caller(caller).enabled(true).thresholdCents(5_000L).topupAmountCents(2_000L).build());

            // 16 threads x 20 debits of 50 cents = $160: the balance crosses $50 once (and goes negative).
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        billing.settleDeduction().execute(SettleDeduction.Command.builder()
                                .orgId(org).amountMicros(50_000_000L).resource("code_exec").description("burst")
                                .referenceId("").idempotencyKey("burst-" + thread + "-" + i).build());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
            assertThat(attempts.get()).isEqualTo(1);

            billing.runAutoTopups().execute();
            billing.runAutoTopups().execute();
            assertThat(gateway.successfulCharges()).isEqualTo(1);
            List<LedgerEntry> autoTopups = billing.getCreditHistory().forOrg(org,
                    GetCreditHistory.Query.builder().limit(10).types(Set.of(EntryType.AUTO_TOPUP)).build()).entries();
            assertThat(autoTopups).hasSize(1);
            assertThat(billing.verifyLedger().execute().drifts()).isEmpty();
        }
    }
}
