package io.agentbilling.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.usage.DailyCost;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import io.agentbilling.core.usage.UsageRecord;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link io.agentbilling.core.port.UsageStore} adapter must have. */
public abstract class UsageStoreContract {
    private static final LocalDate D1 = LocalDate.of(2026, 3, 1);
    private static final LocalDate D2 = LocalDate.of(2026, 3, 2);
    private static final LocalDate D3 = LocalDate.of(2026, 3, 3);

    /**
     * A fresh unit-of-work factory over the adapter under test.
     */
    protected abstract Transactions newTransactions();

    private Transactions tx;
    private OrgId org;
    private MemberId ann;
    private MemberId bob;

    @BeforeEach
    void world() {
        tx = newTransactions();
        org = ContractWorld.newOrg(tx);
        ann = ContractWorld.newMember(tx, org);
        bob = ContractWorld.newMember(tx, org);
    }

    private static UsageAmounts model(MemberId member, String model, boolean byok, long in, long out, long cached,
                                      long costMicros) {
        return cell(member, UsageKind.MODEL, model, byok, "", 1, in, out, cached, 0, 0,
                Credits.ofMicros(costMicros));
    }

    private static UsageAmounts quantity(MemberId member, UsageKind kind, String key, String unit, long quantity,
                                         long forgiven, long costMicros) {
        return cell(member, kind, key, false, unit, 1, 0, 0, 0, quantity, forgiven,
                Credits.ofMicros(costMicros));
    }

    private void record(LocalDate day, UsageAmounts... amounts) {
        tx.inTransaction(stores -> {
            stores.usage().record(List.of(amounts).stream().map(a -> new UsageRecord(org, day, a)).toList());
            return null;
        });
    }

    private List<UsageAmounts> totals(MemberId member, LocalDate from, LocalDate to) {
        return tx.read(stores -> stores.usage().totals(org, member, from, to));
    }

    @Test
    void records_of_one_cell_add_up_counter_by_counter() {
        record(D1, model(ann, "gpt-5", false, 10, 20, 3, 100));
        record(D1, model(ann, "gpt-5", false, 1, 2, 0, 7), model(ann, "gpt-5", false, 5, 0, 1, 0));
        assertThat(totals(null, D1, D2)).containsExactly(cell(ann, UsageKind.MODEL, "gpt-5", false, "",
                3, 16, 22, 4, 0, 0, Credits.ofMicros(107)));
    }

    @Test
    void totals_sum_a_cell_over_the_days_of_a_half_open_range() {
        record(D1, quantity(ann, UsageKind.SANDBOX, "small", "seconds", 60, 5, 1_000));
        record(D2, quantity(ann, UsageKind.SANDBOX, "small", "seconds", 30, 0, 500));
        record(D3, quantity(ann, UsageKind.SANDBOX, "small", "seconds", 1, 0, 1));

        assertThat(totals(null, D1, D3)).containsExactly(cell(ann, UsageKind.SANDBOX, "small", false,
                "seconds", 2, 0, 0, 0, 90, 5, Credits.ofMicros(1_500)));
        assertThat(totals(null, D2, D3)).extracting(UsageAmounts::quantity).containsExactly(BigInteger.valueOf(30));
        assertThat(totals(null, D3.plusDays(1), D3.plusDays(9))).isEmpty();
    }

    @Test
    void cells_differ_by_member_kind_key_byok_and_unit() {
        record(D1,
                model(ann, "gpt-5", false, 1, 0, 0, 1),
                model(ann, "gpt-5", true, 1, 0, 0, 0),
                model(bob, "gpt-5", false, 1, 0, 0, 1),
                model(ann, "gpt-5-mini", false, 1, 0, 0, 1),
                quantity(ann, UsageKind.RESOURCE, "code_exec", "seconds", 5, 0, 10),
                quantity(ann, UsageKind.RESOURCE, "code_exec", "", 0, 0, 3),
                quantity(null, UsageKind.STORAGE, "ws", "byte_seconds", 9, 0, 1));
        assertThat(totals(null, D1, D2)).hasSize(7);
    }

    @Test
    void a_member_filter_keeps_only_that_member_and_leaves_out_org_level_usage() {
        record(D1, model(ann, "gpt-5", false, 1, 0, 0, 1), model(bob, "gpt-5", false, 2, 0, 0, 2),
                quantity(null, UsageKind.STORAGE, "ws", "byte_seconds", 9, 0, 1));
        assertThat(totals(ann, D1, D2)).extracting(UsageAmounts::memberId).containsExactly(ann);
        assertThat(totals(null, D1, D2)).extracting(UsageAmounts::memberId).containsExactlyInAnyOrder(ann, bob, null);
    }

    @Test
    void another_org_sees_none_of_it() {
        record(D1, model(ann, "gpt-5", false, 1, 0, 0, 1));
        OrgId other = ContractWorld.newOrg(tx);
        List<UsageAmounts> ofOther = tx.read(stores -> stores.usage().totals(other, null, D1, D2));
        assertThat(ofOther).isEmpty();
    }

    @Test
    void usage_recorded_in_a_unit_of_work_that_fails_is_not_kept() {
        record(D1, model(ann, "gpt-5", false, 1, 0, 0, 1));
        assertThatThrownBy(() -> tx.inTransaction(stores -> {
            stores.usage().record(List.of(new UsageRecord(org, D1, model(ann, "gpt-5", false, 100, 0, 0, 100)),
                    new UsageRecord(org, D2, model(ann, "gpt-5", false, 100, 0, 0, 100))));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(totals(null, D1, D3)).extracting(UsageAmounts::inputTokens).containsExactly(BigInteger.ONE);
    }

    // ---- volumes past 64 bits: a cell and its sums stay exact ----

    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    /** One PiB held for a whole day, in byte-seconds (about 9.7 × 10^19: past a long). */
    private static final BigInteger PEBIBYTE_DAY = BigInteger.valueOf(1L << 50).multiply(BigInteger.valueOf(86_400));
    private static final int TEN_YEARS_OF_DAYS = 3_653;

    private static UsageAmounts storage(BigInteger byteSeconds, long costMicros) {
        return new UsageAmounts(null, UsageKind.STORAGE, "ws", false, "byte_seconds", BigInteger.ONE,
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, byteSeconds, BigInteger.ZERO,
                Credits.ofMicros(costMicros));
    }

    @Test
    void a_cell_keeps_adding_exactly_once_it_passes_64_bits() {
        record(D1, quantity(null, UsageKind.STORAGE, "ws", "byte_seconds", Long.MAX_VALUE, 0, 1));
        record(D1, quantity(null, UsageKind.STORAGE, "ws", "byte_seconds", 3_000_000_000L, 0, 1),
                quantity(null, UsageKind.STORAGE, "ws", "byte_seconds", Long.MAX_VALUE, 0, 1));
        record(D1, quantity(null, UsageKind.STORAGE, "ws", "byte_seconds", 1, 0, 1));

        assertThat(totals(null, D1, D2)).singleElement().satisfies(cell -> {
            assertThat(cell.quantity()).isEqualTo(LONG_MAX.multiply(BigInteger.TWO).add(BigInteger.valueOf(3_000_000_001L)));
            assertThat(cell.count()).isEqualTo(BigInteger.valueOf(4));
            assertThat(cell.cost()).isEqualTo(Credits.ofMicros(4));
        });
    }

    @Test
    void a_billion_model_calls_a_day_at_the_token_bound_add_up_exactly() {
        BigInteger billion = BigInteger.valueOf(1_000_000_000L);
        BigInteger tokens = BigInteger.valueOf(1_000_000_000_000L).multiply(billion); // 10^21: a day's cell
        UsageAmounts day = new UsageAmounts(ann, UsageKind.MODEL, "gpt-5", false, "", billion, tokens, tokens,
                tokens, BigInteger.ZERO, BigInteger.ZERO, Credits.ofMicros(1));
        record(D1, day, day);
        record(D2, day);

        assertThat(totals(null, D1, D3)).singleElement().satisfies(cell -> {
            assertThat(cell.count()).isEqualTo(billion.multiply(BigInteger.valueOf(3)));
            assertThat(cell.inputTokens()).isEqualTo(tokens.multiply(BigInteger.valueOf(3)));
            assertThat(cell.outputTokens()).isEqualTo(tokens.multiply(BigInteger.valueOf(3)));
            assertThat(cell.cachedInputTokens()).isEqualTo(tokens.multiply(BigInteger.valueOf(3)));
        });
    }

    @Test
    void a_petabyte_held_for_ten_years_sums_to_the_byte_second() {
        LocalDate first = LocalDate.of(2016, 1, 1);
        List<UsageRecord> days = new java.util.ArrayList<>();
        for (int i = 0; i < TEN_YEARS_OF_DAYS; i++) {
            days.add(new UsageRecord(org, first.plusDays(i), storage(PEBIBYTE_DAY, 1)));
        }
        tx.inTransaction(stores -> {
            stores.usage().record(days);
            return null;
        });

        assertThat(totals(null, first, first.plusDays(TEN_YEARS_OF_DAYS))).singleElement().satisfies(cell -> {
            assertThat(cell.quantity()).isEqualTo(PEBIBYTE_DAY.multiply(BigInteger.valueOf(TEN_YEARS_OF_DAYS)));
            assertThat(cell.count()).isEqualTo(BigInteger.valueOf(TEN_YEARS_OF_DAYS));
            assertThat(cell.cost()).isEqualTo(Credits.ofMicros(TEN_YEARS_OF_DAYS));
        });
    }

    @Test
    void daily_costs_sum_every_cell_of_a_day_oldest_first_within_the_range_and_the_member() {
        record(D1, model(ann, "gpt-5", false, 10, 20, 0, 100), model(bob, "gpt-5", false, 1, 1, 0, 7));
        record(D2, quantity(ann, UsageKind.SANDBOX, "small", "seconds", 30, 0, 500));
        record(D3, quantity(null, UsageKind.STORAGE, "ws-1", "", 1_000, 0, 3));

        assertThat(daily(org, null, D1, D3.plusDays(1))).containsExactly(
                new DailyCost(D1, Credits.ofMicros(107)), new DailyCost(D2, Credits.ofMicros(500)),
                new DailyCost(D3, Credits.ofMicros(3)));
        assertThat(daily(org, ann, D1, D3.plusDays(1))).containsExactly(
                new DailyCost(D1, Credits.ofMicros(100)), new DailyCost(D2, Credits.ofMicros(500)));
        assertThat(daily(org, null, D2, D3)).containsExactly(
                new DailyCost(D2, Credits.ofMicros(500)));
        OrgId other = ContractWorld.newOrg(tx);
        assertThat(daily(other, null, D1, D3.plusDays(1))).isEmpty();
    }

    private List<DailyCost> daily(OrgId orgId, MemberId member, LocalDate from, LocalDate to) {
        return tx.read(stores -> stores.usage().dailyCosts(orgId, member, from, to));
    }

    /**
     * Usage amounts of any cell, counters given as {@code long}s.
     *
     * @param memberId the member
     * @param byok whether the caller's own provider key paid
     * @param inputTokens uncached input tokens
     * @param cachedInputTokens input tokens served from the prompt cache
     */
    protected static UsageAmounts cell(MemberId memberId, UsageKind kind, String key, boolean byok, String unit, long count,
                             long inputTokens, long outputTokens, long cachedInputTokens, long quantity,
                             long forgivenQuantity, Credits cost) {
        return new UsageAmounts(memberId, kind, key, byok, unit, java.math.BigInteger.valueOf(count),
                java.math.BigInteger.valueOf(inputTokens), java.math.BigInteger.valueOf(outputTokens),
                java.math.BigInteger.valueOf(cachedInputTokens), java.math.BigInteger.valueOf(quantity),
                java.math.BigInteger.valueOf(forgivenQuantity), cost);
    }
}
