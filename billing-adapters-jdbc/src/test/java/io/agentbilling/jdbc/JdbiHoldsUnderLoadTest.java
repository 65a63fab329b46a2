package io.agentbilling.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.core.Billing;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldStatus;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.PlaceHold;
import io.agentbilling.core.usecase.SetMemberBudget;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.testing.TestDatabaseExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On PostgreSQL with real threads: agents racing for the same last dollars through holds never overrun the org's
 * balance, a member's budget or a key's cap. Every admitted hold is then captured for at most its amount, or
 * released; so whatever was charged plus whatever is still held must fit every limit, and it does only if each
 * admission saw every hold and charge admitted before it.
 */
class JdbiHoldsUnderLoadTest {
    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    private static final long BALANCE_CENTS = 20_000;
    private static final long BUDGET_CENTS = 9_000;
    private static final long CAP_CENTS = 6_000;
    private static final int THREADS = 12;
    private static final int HOLDS_PER_THREAD = 40;

    @Test
    void concurrent_holds_and_their_captures_never_exceed_the_balance_a_budget_or_a_cap() throws Exception {
        try (HikariDataSource connections = DataSources.create(DB.config().withPoolSize(8)
                .withConnectionTimeout(Duration.ofSeconds(30)));
             PostgresBilling engine = PostgresBilling.configure().dataSource(connections)
                     // Each settlement in its own transaction with unbounded waits: the loaded machine sets the pace.
                     .directSettlement().timeouts(JdbiTransactions.Timeouts.NONE).withoutBackgroundJobs().start()) {
            Billing billing = engine.billing();
            OrgId org = billing.createOrg().execute(CreateOrg.Command.builder().name("Racing agents").plan("pro")
                    .signupGrantMicros(BALANCE_CENTS * 1_000_000L).build()).org().id();
            Member admin = billing.addMember().execute(new AddMember.Command(org, null, Role.ADMIN)).member();
            Member agentOwner = billing.addMember().execute(new AddMember.Command(org, null, Role.MEMBER)).member();
            billing.spendControls().setMemberBudget().execute(SetMemberBudget.Command.builder()
                    .caller(Caller.of(admin)).memberId(agentOwner.id()).monthlyLimitCents(BUDGET_CENTS).build());
            ApiKeyId cappedKey = billing.createApiKey().execute(CreateApiKey.Command.builder().orgId(org)
                    .memberId(agentOwner.id()).name("agent").lifetimeCapCents(CAP_CENTS).build()).key().id();

            Queue<Hold> admitted = new ConcurrentLinkedQueue<>();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Random random = new Random(thread);
                    start.await();
                    for (int i = 0; i < HOLDS_PER_THREAD; i++) {
                        // A third of the agents run for the budgeted member through the capped key, a third for
                        // the member alone, a third for the org alone.
                        MemberId member = thread % 3 == 2 ? null : agentOwner.id();
                        ApiKeyId key = thread % 3 == 0 ? cappedKey : null;
                        long amount = 50 + random.nextInt(400);
                        Hold hold;
                        try {
                            hold = billing.spendControls().placeHold().execute(PlaceHold.Command.builder()
                                    .orgId(org).memberId(member).apiKeyId(key).amountCents(amount)
                                    .ttlSeconds(3_600).idempotencyKey("hold-" + thread + "-" + i).build()).hold();
                        } catch (BillingException e) {
                            assertThat(e.error()).isEqualTo(BillingError.INSUFFICIENT_CREDIT);
                            refused.incrementAndGet();
                            continue;
                        }
                        admitted.add(hold);
                        int fate = random.nextInt(4);
                        if (fate == 0) {
                            billing.spendControls().releaseHold().execute(hold.id());
                        } else if (fate < 3) {
                            // The actual cost: anything from nothing to the whole hold.
                            long actualMicros = (long) (random.nextDouble() * amount * 1_000_000L);
                            billing.settleDeduction().execute(SettleDeduction.Command.builder().orgId(org)
                                    .memberId(member).amountMicros(Math.max(1, actualMicros)).resource("agent_run")
                                    .description("agent step").referenceId("").holdId(hold.id())
                                    .idempotencyKey("capture-" + thread + "-" + i).build());
                        }
                        // fate 3: left active until the end.
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();

            assertThat(refused.get()).as("the limits were reached").isPositive();
            assertThat(admitted).as("and work was admitted").hasSizeGreaterThan(THREADS);

            var credits = billing.getCredits().forOrg(org);
            // Charged so far plus still held fits the balance the org started with.
            assertThat(credits.balance().isNegative()).isFalse();
            assertThat(credits.available().isNegative()).isFalse();
            var budget = billing.spendControls().getBudgets().forMember(org, agentOwner.id());
            assertThat(budget.spentThisMonth().plus(budget.held())).isLessThanOrEqualTo(Credits.ofCents(BUDGET_CENTS));
            var cap = billing.spendControls().getApiKeyCaps().forKey(org, cappedKey);
            assertThat(cap.spentLifetime().plus(cap.held())).isLessThanOrEqualTo(Credits.ofCents(CAP_CENTS));
            // Every hold left active still reserves its whole amount; the others closed.
            for (Hold hold : admitted) {
                Hold now = billing.spendControls().getHold().execute(hold.id());
                assertThat(now.status()).isIn(HoldStatus.ACTIVE, HoldStatus.CAPTURED, HoldStatus.RELEASED);
            }
            assertThat(billing.verifyLedger().execute().drifts()).isEmpty();
        }
    }
}
