package io.agentbilling.core.spendcontrol;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.MemberBudgetStatus;
import io.agentbilling.core.usecase.GetCredits;
import io.agentbilling.core.usecase.SetMemberBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The admission property of holds, on the in-memory engine: when every charge goes through a hold and charges no
 * more than it holds, no sequence of holds, captures, releases and expiries ever reserves more than the balance or a
 * member's monthly budget. The same property under many threads on PostgreSQL is {@code JdbiHoldsUnderLoadTest}.
 */
class HoldPropertiesTest {
    private static final long BALANCE_CENTS = 1_000;
    private static final long BUDGET_CENTS = 600;

    /** One step: the kind, an amount in cents, which member (0: none, 1: dev, 2: other) and which hold it acts on. */
    record Step(int kind, long cents, int member, int pick) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.longs().between(1, 700),
                Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 20))
                .as(Step::new).list().ofMaxSize(40);
    }

    @Property(tries = 200)
    void holds_and_their_captures_never_reserve_more_than_the_balance_or_a_budget(
            @ForAll("steps") List<Step> steps) {
        SpendWorld world = new SpendWorld(BALANCE_CENTS);
        world.billing.spendControls().setMemberBudget().execute(SetMemberBudget.Command.builder()
                .caller(world.adminCaller()).memberId(world.dev.id()).monthlyLimitCents(BUDGET_CENTS).build());
        List<Hold> open = new ArrayList<>();
        for (Step step : steps) {
            var member = switch (step.member()) {
                case 1 -> world.dev.id();
                case 2 -> world.other.id();
                default -> null;
            };
            switch (step.kind()) {
                case 0, 1 -> {
                    try {
                        open.add(world.hold(step.cents(), member, null, 30).hold());
                    } catch (BillingException refused) {
                        assertThat(refused.error()).isEqualTo(BillingError.INSUFFICIENT_CREDIT);
                    }
                }
                case 2 -> {
                    if (!open.isEmpty()) {
                        Hold hold = open.remove(step.pick() % open.size());
                        // Only a hold still in force admits a charge, and the actual charge is at most what it
                        // holds: the case the admission promises to cover.
                        if (world.clock.instant().isBefore(hold.expiresAt())) {
                            long actual = Math.min(step.cents(), hold.amount().micros() / 1_000_000);
                            world.deduct(actual, hold.memberId(), hold.id(), null);
                        }
                    }
                }
                case 3 -> {
                    if (!open.isEmpty()) {
                        Hold hold = open.remove(step.pick() % open.size());
                        try {
                            world.billing.spendControls().releaseHold().execute(hold.id());
                        } catch (BillingException e) {
                            assertThat(e.error()).isNotEqualTo(BillingError.INTERNAL);
                        }
                    }
                }
                default -> {
                    world.advance(Duration.ofSeconds(step.cents() % 40));
                    world.billing.spendControls().expireHolds().execute(100);
                }
            }
            GetCredits.Result credits = world.billing.getCredits().forOrg(world.org);
            assertThat(credits.held()).as("held never exceeds the balance").isLessThanOrEqualTo(credits.balance());
            assertThat(credits.balance()).as("no charge overran its admission").isGreaterThanOrEqualTo(Credits.ZERO);
            MemberBudgetStatus dev = world.billing.spendControls().getBudgets().forMember(world.org, world.dev.id());
            assertThat(dev.spentThisMonth().plus(dev.held())).as("the member's spend and holds stay in budget")
                    .isLessThanOrEqualTo(Credits.ofCents(BUDGET_CENTS));
        }
    }
}
