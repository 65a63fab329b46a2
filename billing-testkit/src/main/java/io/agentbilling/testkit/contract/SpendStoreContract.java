package io.agentbilling.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.SpendStore;
import io.agentbilling.core.port.SpendStore.HeldAmounts;
import io.agentbilling.core.port.SpendStore.KeySpendIncrement;
import io.agentbilling.core.port.SpendStore.KeySpendTotals;
import io.agentbilling.core.port.SpendStore.MemberByokIncrement;
import io.agentbilling.core.port.SpendStore.MemberRef;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.ApiKeyCap;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.spend.HoldStatus;
import io.agentbilling.core.spend.MemberBudget;
import io.agentbilling.core.spend.SpendSettings;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link SpendStore} adapter must have. */
public abstract class SpendStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-10T12:00:00.123456Z");
    private static final LocalDate MARCH = LocalDate.parse("2026-03-01");
    private static final LocalDate FEBRUARY = LocalDate.parse("2026-02-01");

    /** A fresh unit-of-work factory over the adapter under test. */
    protected abstract Transactions newTransactions();

    private Transactions tx;
    private OrgId org;
    private OrgId otherOrg;
    private MemberId ann;
    private MemberId bob;
    private final ApiKeyId key = new ApiKeyId(UUID.randomUUID());
    private final ApiKeyId otherKey = new ApiKeyId(UUID.randomUUID());

    @BeforeEach
    void world() {
        tx = newTransactions();
        org = ContractWorld.newOrg(tx);
        otherOrg = ContractWorld.newOrg(tx);
        ann = ContractWorld.newMember(tx, org);
        bob = ContractWorld.newMember(tx, org);
    }

    private <T> T write(Function<SpendStore, T> work) {
        return tx.inTransaction((Stores stores) -> work.apply(stores.spend()));
    }

    private <T> T read(Function<SpendStore, T> work) {
        return tx.read(stores -> work.apply(stores.spend()));
    }

    private static Credits cents(long cents) {
        return Credits.ofCents(cents);
    }

    @Test
    void settings_are_saved_replaced_and_read_back_exactly_per_org() {
        assertThat(read((SpendStore s) -> s.settings(org))).isEmpty();
        SpendSettings first = new SpendSettings(org, true, cents(500), T0);
        write((SpendStore s) -> { s.saveSettings(first); return null; });
        assertThat(read((SpendStore s) -> s.settings(org))).contains(first);
        SpendSettings second = new SpendSettings(org, false, null, T0.plusSeconds(1));
        write((SpendStore s) -> { s.saveSettings(second); return null; });
        assertThat(read((SpendStore s) -> s.settings(org))).contains(second);
        assertThat(read((SpendStore s) -> s.settings(List.of(org, otherOrg)))).isEqualTo(Map.of(org, second));
        assertThat(read((SpendStore s) -> s.settings(List.of()))).isEmpty();
    }

    @Test
    void budgets_are_upserted_listed_in_member_order_found_in_bulk_and_deleted() {
        MemberBudget annBudget = new MemberBudget(org, ann, cents(10_000), null, T0);
        MemberBudget bobBudget = new MemberBudget(org, bob, null, Credits.ofMicros(1), T0);
        write((SpendStore s) -> { s.saveBudget(annBudget); s.saveBudget(bobBudget); return null; });
        MemberBudget annChanged = new MemberBudget(org, ann, cents(0), cents(50), T0.plusSeconds(3));
        write((SpendStore s) -> { s.saveBudget(annChanged); return null; });

        assertThat(read((SpendStore s) -> s.budget(org, ann))).contains(annChanged);
        assertThat(read((SpendStore s) -> s.budget(otherOrg, ann))).isEmpty();
        List<MemberBudget> expected = ann.value().toString().compareTo(bob.value().toString()) < 0
                ? List.of(annChanged, bobBudget) : List.of(bobBudget, annChanged);
        assertThat(read((SpendStore s) -> s.budgets(org))).containsExactlyElementsOf(expected);
        assertThat(read((SpendStore s) -> s.budgets(List.of(new MemberRef(org, ann), new MemberRef(otherOrg, bob),
                new MemberRef(org, ann))))).isEqualTo(Map.of(new MemberRef(org, ann), annChanged));

        write((SpendStore s) -> { s.deleteBudget(org, ann); s.deleteBudget(org, ann); return null; });
        assertThat(read((SpendStore s) -> s.budgets(org))).containsExactly(bobBudget);
    }

    @Test
    void caps_are_upserted_listed_and_deleted_per_org() {
        ApiKeyCap cap = new ApiKeyCap(org, key, cents(100), cents(1_000), T0);
        write((SpendStore s) -> { s.saveCap(cap); return null; });
        ApiKeyCap changed = new ApiKeyCap(org, key, null, cents(2_000), T0.plusSeconds(1));
        write((SpendStore s) -> { s.saveCap(changed); return null; });
        assertThat(read((SpendStore s) -> s.cap(org, key))).contains(changed);
        assertThat(read((SpendStore s) -> s.cap(otherOrg, key))).isEmpty();
        assertThat(read((SpendStore s) -> s.caps(org))).containsExactly(changed);
        write((SpendStore s) -> { s.deleteCap(org, key); return null; });
        assertThat(read((SpendStore s) -> s.caps(org))).isEmpty();
    }

    @Test
    void key_spend_adds_up_per_month_and_over_the_key_life() {
        write((SpendStore s) -> {
            s.addKeySpend(List.of(new KeySpendIncrement(org, key, FEBRUARY, cents(7), cents(1)),
                    new KeySpendIncrement(org, key, MARCH, cents(3), Credits.ZERO),
                    new KeySpendIncrement(org, otherKey, MARCH, cents(100), Credits.ZERO)));
            return null;
        });
        write((SpendStore s) -> {
            s.addKeySpend(List.of(new KeySpendIncrement(org, key, MARCH, Credits.ofMicros(5), cents(2))));
            return null;
        });
        KeySpendTotals totals = read((SpendStore s) -> s.keySpend(org, key, MARCH));
        assertThat(totals).isEqualTo(new KeySpendTotals(cents(3).plus(Credits.ofMicros(5)), cents(2),
                cents(10).plus(Credits.ofMicros(5)), cents(3)));
        assertThat(read((SpendStore s) -> s.keySpend(otherOrg, key, MARCH))).isEqualTo(KeySpendTotals.NONE);
        Map<ApiKeyId, KeySpendTotals> byKey = read((SpendStore s) -> s.keySpendByKey(org, MARCH));
        assertThat(byKey).containsOnlyKeys(key, otherKey);
        assertThat(byKey.get(otherKey).chargedLifetime()).isEqualTo(cents(100));
        // A month with nothing through the key still has the lifetime figures.
        KeySpendTotals april = read((SpendStore s) -> s.keySpend(org, key, LocalDate.parse("2026-04-01")));
        assertThat(april.chargedThisMonth()).isEqualTo(Credits.ZERO);
        assertThat(april.chargedLifetime()).isEqualTo(totals.chargedLifetime());
    }

    @Test
    void list_price_sums_saturate_instead_of_failing() {
        Credits huge = Credits.ofMicros(Long.MAX_VALUE - 10);
        write((SpendStore s) -> {
            s.addKeySpend(List.of(new KeySpendIncrement(org, key, MARCH, Credits.ZERO, huge)));
            s.addMemberByokSpend(List.of(new MemberByokIncrement(org, ann, MARCH, huge)));
            return null;
        });
        write((SpendStore s) -> {
            s.addKeySpend(List.of(new KeySpendIncrement(org, key, MARCH, Credits.ZERO, huge)));
            s.addMemberByokSpend(List.of(new MemberByokIncrement(org, ann, MARCH, huge)));
            return null;
        });
        assertThat(read((SpendStore s) -> s.keySpend(org, key, MARCH)).byokLifetime()).isEqualTo(Credits.ofMicros(Long.MAX_VALUE));
        assertThat(read((SpendStore s) -> s.memberByokSpend(org, ann, MARCH, MARCH.plusDays(1))))
                .isEqualTo(Credits.ofMicros(Long.MAX_VALUE));
    }

    @Test
    void member_byok_spend_sums_the_days_asked_for() {
        write((SpendStore s) -> {
            s.addMemberByokSpend(List.of(new MemberByokIncrement(org, ann, MARCH, cents(1)),
                    new MemberByokIncrement(org, ann, MARCH.plusDays(1), cents(2)),
                    new MemberByokIncrement(org, bob, MARCH.plusDays(1), cents(4)),
                    new MemberByokIncrement(org, ann, MARCH.plusDays(2), cents(8))));
            s.addMemberByokSpend(List.of(new MemberByokIncrement(org, ann, MARCH.plusDays(1), cents(16))));
            return null;
        });
        assertThat(read((SpendStore s) -> s.memberByokSpend(org, ann, MARCH, MARCH.plusDays(2)))).isEqualTo(cents(19));
        assertThat(read((SpendStore s) -> s.memberByokSpendByMember(org, MARCH.plusDays(1), MARCH.plusDays(2))))
                .isEqualTo(Map.of(ann, cents(18), bob, cents(4)));
        assertThat(read((SpendStore s) -> s.memberByokSpend(otherOrg, ann, MARCH, MARCH.plusDays(3)))).isEqualTo(Credits.ZERO);
    }

    private Hold hold(String idempotencyKey, MemberId member, ApiKeyId apiKey, long cents, long ttlSeconds) {
        return Hold.place(new HoldId(UUID.randomUUID()), org, member, apiKey, cents(cents), T0,
                T0.plusSeconds(ttlSeconds), idempotencyKey, "fp-" + idempotencyKey);
    }

    @Test
    void a_hold_is_inserted_once_per_idempotency_key_and_read_back_exactly() {
        Hold first = hold("k1", ann, key, 500, 60);
        assertThat(write((SpendStore s) -> s.insertHold(first))).isTrue();
        assertThat(write((SpendStore s) -> s.insertHold(hold("k1", bob, null, 900, 60)))).isFalse();
        assertThat(read((SpendStore s) -> s.findHold(org, first.id()))).contains(first);
        assertThat(read((SpendStore s) -> s.findHold(first.id()))).contains(first);
        assertThat(read((SpendStore s) -> s.findHold(otherOrg, first.id()))).isEmpty();
        assertThat(read((SpendStore s) -> s.findHoldByKey(org, "k1"))).contains(first);
        assertThat(read((SpendStore s) -> s.findHoldByKey(otherOrg, "k1"))).isEmpty();
        assertThat(tx.inTransaction((Stores stores) -> stores.spend().lockHolds(org, Set.of(first.id(),
                new HoldId(UUID.randomUUID()))))).isEqualTo(Map.of(first.id(), first));
    }

    @Test
    void captures_releases_and_bindings_are_stored() {
        Hold placed = hold("k1", ann, null, 500, 60);
        write((SpendStore s) -> s.insertHold(placed));
        Hold bound = placed.boundTo("sbx-" + UUID.randomUUID());
        Hold partly = bound.capture(cents(120), false, T0.plusSeconds(1));
        write((SpendStore s) -> { s.updateHold(partly); return null; });
        assertThat(read((SpendStore s) -> s.findHold(org, placed.id()))).contains(partly);
        assertThat(read((SpendStore s) -> s.findActiveHoldOfSandbox(org, bound.sandboxId()))).contains(partly);
        Hold captured = partly.capture(cents(900), true, T0.plusSeconds(2));
        write((SpendStore s) -> { s.updateHold(captured); return null; });
        assertThat(read((SpendStore s) -> s.findHold(org, placed.id()))).contains(captured);
        assertThat(read((SpendStore s) -> s.findActiveHoldOfSandbox(org, bound.sandboxId()))).isEmpty();
        assertThatThrownBy(() -> write((SpendStore s) -> {
            s.updateHold(hold("never-stored", null, null, 1, 1));
            return null;
        })).isInstanceOf(RuntimeException.class);
    }

    @Test
    void held_sums_only_active_unexpired_holds_less_what_they_captured() {
        Hold annKey = hold("a", ann, key, 500, 60);
        Hold bobOnly = hold("b", bob, null, 300, 60);
        Hold keyOnly = hold("c", null, key, 200, 10);
        Hold released = hold("d", ann, key, 10_000, 60);
        write((SpendStore s) -> {
            s.insertHold(annKey);
            s.insertHold(bobOnly);
            s.insertHold(keyOnly);
            s.insertHold(released);
            s.updateHold(annKey.capture(cents(100), false, T0));
            s.updateHold(released.release(T0.plusSeconds(1)));
            return null;
        });
        Instant now = T0.plusSeconds(5);
        assertThat(read((SpendStore s) -> s.held(org, ann, key, now)))
                .isEqualTo(new HeldAmounts(cents(400 + 300 + 200), cents(400), cents(400 + 200)));
        assertThat(read((SpendStore s) -> s.held(org, null, null, now)))
                .isEqualTo(new HeldAmounts(cents(900), Credits.ZERO, Credits.ZERO));
        assertThat(read((SpendStore s) -> s.heldByMember(org, now))).isEqualTo(Map.of(ann, cents(400), bob, cents(300)));
        assertThat(read((SpendStore s) -> s.heldByKey(org, now))).isEqualTo(Map.of(key, cents(600)));
        // Past its expiry (exclusive) a hold reserves nothing and is due.
        Instant later = T0.plusSeconds(10);
        assertThat(read((SpendStore s) -> s.held(org, ann, key, later)).byKey()).isEqualTo(cents(400));
        assertThat(read((SpendStore s) -> s.held(otherOrg, ann, key, later))).isEqualTo(HeldAmounts.NONE);
    }

    @Test
    void holds_due_are_found_per_org_and_expire() {
        Hold soon = hold("s", ann, null, 100, 10);
        Hold late = hold("l", ann, null, 100, 600);
        write((SpendStore s) -> { s.insertHold(soon); s.insertHold(late); return null; });
        Instant now = T0.plusSeconds(10);
        assertThat(read((SpendStore s) -> s.orgsWithHoldsDue(now, 100_000))).contains(org).doesNotContain(otherOrg);
        List<Hold> due = tx.inTransaction((Stores stores) -> stores.spend().lockHoldsDue(org, now));
        assertThat(due).containsExactly(soon);
        write((SpendStore s) -> { s.updateHold(soon.expire(now)); return null; });
        assertThat(read((SpendStore s) -> s.findHold(org, soon.id())).orElseThrow().status()).isEqualTo(HoldStatus.EXPIRED);
        assertThat(tx.inTransaction((Stores stores) -> stores.spend().lockHoldsDue(org, now))).isEmpty();
        assertThat(read((SpendStore s) -> s.orgsWithHoldsDue(now, 100_000))).doesNotContain(org);
    }
}
