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
            OrgId org = billing.createOrg().execute(new CreateOrg.Command("Hot", "pro", 0L, null)).org().id();
            Member admin = billing.addMember().execute(new AddMember.Command(org, null, Role.ADMIN));
            Caller caller = new Caller(org, admin.id(), Role.ADMIN, null);
            // A paid checkout of $100 saves the card and funds the org.
            StartTopup.Result topup = billing.startTopup().execute(new StartTopup.Command(caller, null, 10_000, null, null, null));
            gateway.payCheckout(topup.sessionId());
            billing.verifyCheckout().execute(new VerifyCheckout.Command(caller, topup.sessionId()));
            billing.updateAutoTopup().execute(new UpdateAutoTopup.Command(caller, null, true, 5_000L, 2_000L));

            // 16 threads x 20 debits of 50 cents = $160: the balance crosses $50 once (and goes negative).
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        billing.settleDeduction().execute(new SettleDeduction.Command(org, null, 50_000_000L,
                                "code_exec", "burst", "", "burst-" + thread + "-" + i));
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
                    new GetCreditHistory.Query(org, 10, null, Set.of(EntryType.AUTO_TOPUP), null, null)).entries();
            assertThat(autoTopups).hasSize(1);
            assertThat(billing.verifyLedger().execute().drifts()).isEmpty();
        }
    }
}
