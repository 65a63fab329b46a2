package io.agentbilling.core.spendcontrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.spend.ApiKeyCapStatus;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.LimitKind;
import io.agentbilling.core.spend.MemberBudgetStatus;
import io.agentbilling.core.usecase.CheckCredit;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.SetApiKeyCap;
import io.agentbilling.core.usecase.SetMemberBudget;
import io.agentbilling.core.usecase.UpdateSpendSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Member budgets, API-key caps and BYOK shadow cost on the in-memory engine. */
class BudgetsAndCapsTest {
    private final SpendWorld world = new SpendWorld(100_000);

    private MemberBudgetStatus budget(Long monthly, Long daily) {
        return world.billing.spendControls().setMemberBudget().execute(SetMemberBudget.Command.builder()
                .caller(world.adminCaller()).memberId(world.dev.id()).monthlyLimitCents(monthly)
                .dailyLimitCents(daily).build());
    }

    private ApiKeyCapStatus cap(Long monthly, Long lifetime) {
        return world.billing.spendControls().setApiKeyCap().execute(new SetApiKeyCap.Command(world.org,
                world.devKey.id(), monthly, lifetime));
    }

    private CheckCredit.Result check(long cents) {
        return world.billing.checkCredit().execute(CheckCredit.Command.estimatedCents(world.org, cents)
                .forMember(world.dev.id()).throughKey(world.devKey.id()));
    }

    @Test
    void spend_counts_against_the_member_budget_past_the_limit_usage_is_still_recorded_and_the_next_admission_is_refused() {
        budget(1_000L, 400L);
        world.deduct(300, world.dev.id(), null, null);
        CheckCredit.Result check = check(101);
        assertThat(check.allowed()).isFalse();
        assertThat(check.limitedBy()).isEqualTo(LimitKind.MEMBER_DAILY);
        assertThat(check.reason()).isEqualTo(CheckCredit.SPEND_LIMIT_REACHED);
        assertThat(check(100).allowed()).isTrue();

        world.deduct(500, world.dev.id(), null, null); // past the daily limit: recorded and charged anyway
        assertThat(world.balance()).isEqualTo(Credits.ofCents(99_200));
        assertThatThrownBy(() -> world.hold(1, world.dev.id(), null, 60))
                .isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.details())
                        .contains(new FieldIssue("limitedBy", "member_daily")));
        world.advance(Duration.ofDays(1)); // a new UTC day: the daily limit starts again, the monthly one does not
        assertThat(check(200).allowed()).isTrue();
        assertThat(check(201).limitedBy()).isEqualTo(LimitKind.MEMBER_MONTHLY);
        assertThat(world.hold(1, world.other.id(), null, 60)).as("other members are not limited").isNotNull();
    }

    @Test
    void a_members_holds_count_against_the_budget_until_captured() {
        budget(1_000L, null);
        Hold hold = world.hold(600, world.dev.id(), null, 60).hold();
        assertThatThrownBy(() -> world.hold(401, world.dev.id(), null, 60)).isInstanceOf(BillingException.class);
        world.deduct(100, world.dev.id(), hold.id(), null);
        assertThat(world.hold(900, world.dev.id(), null, 60).hold()).isNotNull();
        MemberBudgetStatus status = world.billing.spendControls().getBudgets().forMember(world.org, world.dev.id());
        assertThat(status.spentThisMonth()).isEqualTo(Credits.ofCents(100));
        assertThat(status.held()).isEqualTo(Credits.ofCents(900));
        assertThat(status.remainingThisMonth()).isEqualTo(Credits.ZERO);
        assertThat(status.remainingToday()).isNull();
    }

    @Test
    void the_month_is_the_utc_calendar_month() {
        budget(1_000L, null);
        world.clock.set(java.time.Instant.parse("2026-11-30T23:59:00Z"));
        world.deduct(1_000, world.dev.id(), null, null);
        assertThat(check(1).allowed()).isFalse();
        world.clock.set(java.time.Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(check(1_000).allowed()).isTrue();
    }

    @Test
    void an_admin_reads_every_members_row_and_a_member_only_their_own() {
        budget(500L, null);
        world.deduct(120, world.dev.id(), null, null);
        List<MemberBudgetStatus> rows = world.billing.spendControls().getBudgets()
                .execute(world.adminCaller(), null);
        assertThat(rows).extracting(MemberBudgetStatus::memberId)
                .containsExactlyInAnyOrder(world.admin.id(), world.dev.id(), world.other.id());
        MemberBudgetStatus dev = rows.stream().filter(r -> r.memberId().equals(world.dev.id())).findFirst().get();
        assertThat(dev.remainingThisMonth()).isEqualTo(Credits.ofCents(380));
        assertThat(dev.spentToday()).isEqualTo(Credits.ofCents(120));

        Caller member = Caller.of(world.other);
        assertThat(world.billing.spendControls().getBudgets().execute(member, null))
                .extracting(MemberBudgetStatus::memberId).containsExactly(world.other.id());
        assertThatThrownBy(() -> world.billing.spendControls().setMemberBudget().execute(SetMemberBudget.Command
                .builder().caller(member).memberId(world.other.id()).monthlyLimitCents(1L).build()))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.FORBIDDEN));
        budget(null, null);
        assertThat(world.billing.spendControls().getBudgets().forMember(world.org, world.dev.id()).budget()).isNull();
    }

    @Test
    void key_spend_comes_from_settlements_naming_the_key_or_capturing_its_hold_and_counts_against_its_caps() {
        cap(1_000L, 1_500L);
        Hold hold = world.hold(300, world.dev.id(), world.devKey.id(), 60).hold();
        world.deduct(250, world.dev.id(), hold.id(), null); // the key comes from the hold
        world.deduct(100, world.dev.id(), null, world.devKey.id());
        world.deduct(999, world.dev.id(), null, null); // no key: not the key's spend
        ApiKeyCapStatus status = world.billing.spendControls().getApiKeyCaps().forKey(world.org, world.devKey.id());
        assertThat(status.spentThisMonth()).isEqualTo(Credits.ofCents(350));
        assertThat(status.remainingThisMonth()).isEqualTo(Credits.ofCents(650));

        CheckCredit.Result refused = check(651);
        assertThat(refused.limitedBy()).isEqualTo(LimitKind.KEY_MONTHLY);
        world.advance(Duration.ofDays(31));
        assertThat(check(1_000).allowed()).isTrue();
        assertThat(check(1_150).limit(LimitKind.KEY_MONTHLY).remaining()).isEqualTo(Credits.ofCents(1_000));
        assertThat(check(1_150).limit(LimitKind.KEY_LIFETIME).remaining()).isEqualTo(Credits.ofCents(1_150));
        assertThat(check(999).allowed()).isTrue();
    }

    @Test
    void a_key_created_with_caps_has_them_and_admins_see_the_capped_keys() {
        ApiKey capped = world.billing.createApiKey().execute(CreateApiKey.Command.builder().orgId(world.org)
                .memberId(world.dev.id()).name("ci").monthlyCapCents(50L).build()).key();
        assertThat(world.billing.spendControls().getApiKeyCaps().execute(world.adminCaller(), null))
                .extracting(s -> s.key().id()).containsExactly(capped.id());
        assertThatThrownBy(() -> world.billing.spendControls().getApiKeyCaps().execute(Caller.of(world.dev), null))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.FORBIDDEN));
        assertThatThrownBy(() -> world.hold(51, null, capped.id(), 60)).isInstanceOfSatisfying(BillingException.class,
                e -> assertThat(e.details()).contains(new FieldIssue("limitedBy", "key_monthly")));
    }

    @Test
    void byok_calls_count_at_list_price_only_when_the_org_says_so_and_are_never_charged() {
        budget(100L, null);
        cap(100L, null);
        world.byokCall(world.dev.id(), world.devKey.id(), 1_000_000); // $1.25 at list price
        assertThat(world.balance()).isEqualTo(Credits.ofCents(100_000));
        assertThat(check(100).allowed()).isTrue();

        world.billing.spendControls().updateSpendSettings().execute(UpdateSpendSettings.Command.builder()
                .caller(world.adminCaller()).countByokTowardBudgets(true).build());
        CheckCredit.Result counted = check(1);
        assertThat(counted.allowed()).isFalse();
        assertThat(counted.limitedBy()).isEqualTo(LimitKind.MEMBER_MONTHLY);
        assertThat(counted.limit(LimitKind.MEMBER_MONTHLY).spent()).isEqualTo(Credits.ofCents(125));
        assertThat(counted.limit(LimitKind.KEY_MONTHLY).spent()).isEqualTo(Credits.ofCents(125));
        assertThat(world.balance()).isEqualTo(Credits.ofCents(100_000));
    }

    @Test
    void settings_keep_what_is_not_changed_and_the_threshold_can_be_cleared() {
        var settings = world.billing.spendControls().updateSpendSettings();
        settings.execute(UpdateSpendSettings.Command.builder().caller(world.adminCaller())
                .balanceLowThresholdCents(2_000).build());
        var after = settings.execute(UpdateSpendSettings.Command.builder().caller(world.adminCaller())
                .countByokTowardBudgets(true).build());
        assertThat(after.balanceLowThreshold()).isEqualTo(Credits.ofCents(2_000));
        assertThat(after.countByokTowardBudgets()).isTrue();
        var cleared = settings.execute(UpdateSpendSettings.Command.builder().caller(world.adminCaller())
                .clearBalanceLowThreshold().build());
        assertThat(cleared.balanceLowThreshold()).isNull();
        assertThat(cleared.countByokTowardBudgets()).isTrue();
    }

    @Test
    void a_settlement_naming_a_key_of_another_org_is_refused_and_charges_nothing() {
        SpendWorld elsewhere = new SpendWorld(0);
        assertThatThrownBy(() -> world.deduct(1, world.dev.id(), null, elsewhere.devKey.id()))
                .isInstanceOfSatisfying(BillingException.class, e -> {
                    assertThat(e.error()).isEqualTo(BillingError.UNPROCESSABLE);
                    assertThat(e.details()).extracting(FieldIssue::field).containsExactly("apiKeyId");
                });
        assertThat(world.balance()).isEqualTo(Credits.ofCents(100_000));
    }
}
