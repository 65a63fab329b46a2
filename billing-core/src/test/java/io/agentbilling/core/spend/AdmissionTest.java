package io.agentbilling.core.spend;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    private static final OrgId ORG = new OrgId(UUID.randomUUID());
    private static final MemberId MEMBER = new MemberId(UUID.randomUUID());
    private static final ApiKeyId KEY = new ApiKeyId(UUID.randomUUID());
    private static final Instant T = Instant.parse("2026-11-10T09:00:00Z");

    private static Credits cents(long c) {
        return Credits.ofCents(c);
    }

    @Test
    void the_org_alone_admits_what_its_balance_less_its_holds_leaves() {
        SpendSnapshot snapshot = new SpendSnapshot(cents(1_000), cents(300), null, null);

        assertThat(Admission.decide(snapshot, cents(700)).allowed()).isTrue();
        Admission.Decision refused = Admission.decide(snapshot, cents(701));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limitedBy()).isEqualTo(LimitKind.ORG_BALANCE);
        assertThat(refused.limit(LimitKind.ORG_BALANCE).remaining()).isEqualTo(cents(700));
        assertThat(refused.limits()).hasSize(1);
    }

    @Test
    void without_an_amount_every_limit_must_have_something_left() {
        assertThat(Admission.decide(new SpendSnapshot(cents(1), Credits.ZERO, null, null), null).allowed()).isTrue();
        assertThat(Admission.decide(new SpendSnapshot(cents(1), cents(1), null, null), null).allowed()).isFalse();
        SpendSnapshot.MemberSpend spentAll = new SpendSnapshot.MemberSpend(MEMBER,
                new MemberBudget(ORG, MEMBER, cents(100), null, T), Credits.ZERO, cents(100), Credits.ZERO);
        assertThat(Admission.decide(new SpendSnapshot(cents(500), Credits.ZERO, spentAll, null), null).limitedBy())
                .isEqualTo(LimitKind.MEMBER_MONTHLY);
    }

    @Test
    void a_member_budget_counts_spend_in_its_period_and_the_members_holds() {
        MemberBudget budget = new MemberBudget(ORG, MEMBER, cents(1_000), cents(200), T);
        SpendSnapshot.MemberSpend member = new SpendSnapshot.MemberSpend(MEMBER, budget, cents(150), cents(900),
                cents(30));
        SpendSnapshot snapshot = new SpendSnapshot(cents(10_000), cents(30), member, null);

        Admission.Decision decision = Admission.decide(snapshot, cents(21));
        assertThat(decision.allowed()).isFalse();
        assertThat(decision.limitedBy()).isEqualTo(LimitKind.MEMBER_DAILY);
        assertThat(decision.limit(LimitKind.MEMBER_DAILY).remaining()).isEqualTo(cents(20));
        assertThat(decision.limit(LimitKind.MEMBER_MONTHLY).remaining()).isEqualTo(cents(70));
        assertThat(Admission.decide(snapshot, cents(20)).allowed()).isTrue();
        assertThat(decision.limits()).extracting(Admission.Limit::kind)
                .containsExactly(LimitKind.ORG_BALANCE, LimitKind.MEMBER_DAILY, LimitKind.MEMBER_MONTHLY);
    }

    @Test
    void the_first_limit_that_refuses_in_order_is_named_and_the_wallet_comes_first() {
        MemberBudget budget = new MemberBudget(ORG, MEMBER, cents(10), null, T);
        ApiKeyCap cap = new ApiKeyCap(ORG, KEY, cents(5), cents(1), T);
        SpendSnapshot snapshot = new SpendSnapshot(cents(3), Credits.ZERO,
                new SpendSnapshot.MemberSpend(MEMBER, budget, Credits.ZERO, Credits.ZERO, Credits.ZERO),
                new SpendSnapshot.KeySpend(KEY, cap, Credits.ZERO, Credits.ZERO, Credits.ZERO));

        assertThat(Admission.decide(snapshot, cents(4)).limitedBy()).isEqualTo(LimitKind.ORG_BALANCE);
        assertThat(Admission.decide(snapshot, cents(2)).limitedBy()).isEqualTo(LimitKind.KEY_LIFETIME);
        assertThat(Admission.decide(snapshot, cents(1)).allowed()).isTrue();
    }

    @Test
    void a_limit_of_zero_admits_nothing_and_spend_past_a_limit_leaves_a_negative_remainder() {
        ApiKeyCap zero = new ApiKeyCap(ORG, KEY, Credits.ZERO, null, T);
        SpendSnapshot snapshot = new SpendSnapshot(cents(100), Credits.ZERO, null,
                new SpendSnapshot.KeySpend(KEY, zero, Credits.ZERO, Credits.ZERO, Credits.ZERO));
        assertThat(Admission.decide(snapshot, Credits.ofMicros(1)).limitedBy()).isEqualTo(LimitKind.KEY_MONTHLY);

        ApiKeyCap cap = new ApiKeyCap(ORG, KEY, cents(10), null, T);
        SpendSnapshot overspent = new SpendSnapshot(cents(100), Credits.ZERO, null,
                new SpendSnapshot.KeySpend(KEY, cap, cents(25), cents(25), Credits.ZERO));
        assertThat(Admission.decide(overspent, Credits.ZERO).limit(LimitKind.KEY_MONTHLY).remaining())
                .isEqualTo(cents(-15));
        assertThat(Admission.decide(overspent, Credits.ZERO).allowed()).isFalse();
    }

    @Test
    void spend_past_the_range_of_the_ledger_saturates_instead_of_overflowing() {
        ApiKeyCap cap = new ApiKeyCap(ORG, KEY, cents(10), null, T);
        SpendSnapshot huge = new SpendSnapshot(Credits.ofMicros(Long.MIN_VALUE + 5), Credits.ofMicros(Long.MAX_VALUE),
                null, new SpendSnapshot.KeySpend(KEY, cap, Credits.ofMicros(Long.MAX_VALUE), Credits.ZERO,
                Credits.ofMicros(Long.MAX_VALUE)));
        Admission.Decision decision = Admission.decide(huge, Credits.ZERO);
        assertThat(decision.limit(LimitKind.ORG_BALANCE).remaining()).isEqualTo(Credits.ofMicros(Long.MIN_VALUE));
        assertThat(decision.limit(LimitKind.KEY_MONTHLY).remaining()).isEqualTo(Credits.ofMicros(Long.MIN_VALUE));
    }

    @Test
    void a_hold_reserves_its_amount_less_what_it_captured_until_it_closes_or_expires() {
        Hold hold = Hold.place(new HoldId(UUID.randomUUID()), ORG, MEMBER, KEY, cents(100), T, T.plusSeconds(60),
                "k", "f");
        assertThat(hold.reservedAt(T)).isEqualTo(cents(100));
        Hold partly = hold.capture(cents(30), false, T.plusSeconds(1));
        assertThat(partly.reservedAt(T.plusSeconds(2))).isEqualTo(cents(70));
        Hold over = partly.capture(cents(200), false, T.plusSeconds(3));
        assertThat(over.reservedAt(T.plusSeconds(3))).isEqualTo(Credits.ZERO);
        assertThat(hold.reservedAt(T.plusSeconds(60))).isEqualTo(Credits.ZERO);
        assertThat(hold.isDueToExpireAt(T.plusSeconds(60))).isTrue();
        Hold captured = hold.capture(cents(150), true, T.plusSeconds(5));
        assertThat(captured.status()).isEqualTo(HoldStatus.CAPTURED);
        assertThat(captured.reservedAt(T.plusSeconds(6))).isEqualTo(Credits.ZERO);
        assertThat(captured.captured()).isEqualTo(cents(150));
    }
}
