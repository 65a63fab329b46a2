package io.agentbilling.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.money.Credits;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The report's and the rollups' arithmetic at the volumes the API accepts: every count at its documented bound, a
 * billion events a day, ten years of days, a petabyte stored all along. Each generated cell is what a rollup holds
 * after {@code events} settlements of the same bound values; the report must add the cells up exactly (checked
 * against a plain {@link BigInteger} sum) and never throw.
 */
class UsageReportPropertiesTest {
    /** Per-settlement bounds the core enforces (Checks), and the widest a single settlement reports. */
    private static final long MAX_TOKENS = 1_000_000_000_000L;
    private static final long MAX_EXECUTIONS = 1_000_000_000L;
    private static final long MAX_QUANTITY = 1_000_000_000_000_000L;
    private static final long MAX_SANDBOX_SECONDS = 366L * 24 * 3600;
    private static final long PEBIBYTE = 1L << 50;
    /** One PiB held for a whole day, in byte-seconds: already past a long. */
    private static final BigInteger PEBIBYTE_DAY = BigInteger.valueOf(PEBIBYTE).multiply(BigInteger.valueOf(86_400));
    private static final long TEN_YEARS_OF_DAYS = 3_653;
    private static final int MAX_CELLS = 40;

    private static final List<MemberId> MEMBERS = List.of(new MemberId(new UUID(0, 1)), new MemberId(new UUID(0, 2)));

    /** How many settlements a cell sums: one, a day at a billion events, ten years of such days. */
    @Provide
    Arbitrary<Long> events() {
        return Arbitraries.of(1L, 1_000L, 1_000_000_000L, 1_000_000_000L * TEN_YEARS_OF_DAYS);
    }

    @Provide
    Arbitrary<List<UsageAmounts>> cells() {
        Arbitrary<MemberId> member = Arbitraries.of(MEMBERS).injectNull(0.2);
        Arbitrary<Long> tokens = Arbitraries.of(0L, 1L, MAX_TOKENS - 1, MAX_TOKENS);
        Arbitrary<String> key = Arbitraries.of("gpt-5", "small", "ws-1", "web_search", "code_exec");
        Arbitrary<UsageAmounts> model = Combinators.combine(member, key, Arbitraries.of(true, false), tokens, tokens,
                tokens, events()).as((m, k, byok, in, out, cached, n) -> times(cell(m, UsageKind.MODEL,
                k, byok, "", 1, in, out, cached, 0, 0, Credits.ZERO), n));
        Arbitrary<UsageAmounts> sandbox = Combinators.combine(member,
                Arbitraries.of(1L, MAX_SANDBOX_SECONDS), Arbitraries.of(0L, MAX_SANDBOX_SECONDS), events())
                .as((m, seconds, forgiven, n) -> times(cell(m, UsageKind.SANDBOX, "small", false,
                        "seconds", 0, 0, 0, 0, seconds, forgiven, Credits.ZERO), n));
        Arbitrary<UsageAmounts> storage = Combinators.combine(member, Arbitraries.of(1L, Long.MAX_VALUE), events())
                .as((m, byteSeconds, n) -> times(cell(m, UsageKind.STORAGE, "ws-1", false,
                        "byte_seconds", 1, 0, 0, 0, byteSeconds, 0, Credits.ZERO), n));
        Arbitrary<UsageAmounts> petabyte = member.map(m -> new UsageAmounts(m, UsageKind.STORAGE, "ws-pb", false,
                "byte_seconds", BigInteger.valueOf(TEN_YEARS_OF_DAYS), BigInteger.ZERO, BigInteger.ZERO,
                BigInteger.ZERO, PEBIBYTE_DAY.multiply(BigInteger.valueOf(TEN_YEARS_OF_DAYS)), BigInteger.ZERO,
                Credits.ZERO));
        Arbitrary<UsageAmounts> tool = Combinators.combine(member, Arbitraries.of(1L, MAX_EXECUTIONS), events())
                .as((m, count, n) -> times(cell(m, UsageKind.TOOL, "web_search", false, "executions",
                        count, 0, 0, 0, 0, 0, Credits.ZERO), n));
        Arbitrary<UsageAmounts> resource = Combinators.combine(member, Arbitraries.of("seconds", "runs", ""),
                Arbitraries.of(0L, 1L, MAX_QUANTITY), events())
                .as((m, unit, quantity, n) -> times(cell(m, UsageKind.RESOURCE, "code_exec", false, unit,
                        1, 0, 0, 0, quantity, 0, Credits.ZERO), n));
        Arbitrary<UsageAmounts> cell = Arbitraries.oneOf(model, sandbox, storage, petabyte, tool, resource);
        // Costs: anything, as long as the org's total fits the ledger's long of micros (the ledger refuses more).
        Arbitrary<Long> cost = Arbitraries.of(0L, 1L, Long.MAX_VALUE / MAX_CELLS);
        return Combinators.combine(cell, cost).as(UsageReportPropertiesTest::withCost).list().ofMaxSize(MAX_CELLS);
    }

    @Property(tries = 300)
    void the_report_adds_up_every_cell_exactly_at_any_volume(@ForAll("cells") List<UsageAmounts> cells) {
        UsageReport.Row totals = UsageReport.totals(cells, List.of());

        assertThat(totals.tokens().input()).isEqualTo(sum(cells, c -> c.kind() == UsageKind.MODEL && !c.byok(),
                c -> c.inputTokens().add(c.cachedInputTokens())));
        assertThat(totals.tokens().output()).isEqualTo(sum(cells, c -> c.kind() == UsageKind.MODEL && !c.byok(),
                UsageAmounts::outputTokens));
        assertThat(totals.tokens().total()).isEqualTo(totals.tokens().input().add(totals.tokens().output()));
        assertThat(totals.modelUsage().stream().map(UsageReport.ModelUsage::requests).reduce(BigInteger.ZERO,
                BigInteger::add)).isEqualTo(sum(cells, c -> c.kind() == UsageKind.MODEL, UsageAmounts::count));
        assertThat(totals.sandboxRuntime().settledSeconds())
                .isEqualTo(sum(cells, c -> c.kind() == UsageKind.SANDBOX, UsageAmounts::quantity));
        assertThat(totals.sandboxRuntime().forgivenSeconds())
                .isEqualTo(sum(cells, c -> c.kind() == UsageKind.SANDBOX, UsageAmounts::forgivenQuantity));
        assertThat(totals.storageUsage().byteSeconds())
                .isEqualTo(sum(cells, c -> c.kind() == UsageKind.STORAGE, UsageAmounts::quantity));
        java.math.BigDecimal exactGibHours = new java.math.BigDecimal(totals.storageUsage().byteSeconds())
                .divide(java.math.BigDecimal.valueOf(3_600L << 30), 30, java.math.RoundingMode.HALF_EVEN);
        assertThat(totals.storageUsage().gibHours().subtract(exactGibHours).abs())
                .isLessThanOrEqualTo(new java.math.BigDecimal("0.0000005"));
        assertThat(totals.toolExecutions()).isEqualTo(sum(cells, c -> c.kind() == UsageKind.TOOL, UsageAmounts::count));
        assertThat(totals.resourceCharges().stream().map(UsageReport.ResourceCharge::quantity)
                .reduce(BigInteger.ZERO, BigInteger::add))
                .isEqualTo(sum(cells, c -> c.kind() == UsageKind.RESOURCE, UsageAmounts::quantity));
        assertThat(BigInteger.valueOf(totals.totalCost().micros()))
                .isEqualTo(sum(cells, c -> true, c -> BigInteger.valueOf(c.cost().micros())));
    }

    @Property(tries = 300)
    void member_rows_and_usage_without_a_member_add_up_to_the_totals(@ForAll("cells") List<UsageAmounts> cells) {
        UsageReport.Row totals = UsageReport.totals(cells, List.of());
        List<UsageReport.Row> rows = new ArrayList<>(UsageReport.memberRows(cells, List.of()));
        rows.add(UsageReport.row(null, cells.stream().filter(c -> c.memberId() == null).toList(), List.of()));

        assertThat(sumRows(rows, r -> r.tokens().total())).isEqualTo(totals.tokens().total());
        assertThat(sumRows(rows, r -> r.storageUsage().byteSeconds())).isEqualTo(totals.storageUsage().byteSeconds());
        assertThat(sumRows(rows, r -> r.sandboxRuntime().settledSeconds()))
                .isEqualTo(totals.sandboxRuntime().settledSeconds());
        assertThat(sumRows(rows, UsageReport.Row::toolExecutions)).isEqualTo(totals.toolExecutions());
        assertThat(sumRows(rows, r -> BigInteger.valueOf(r.totalCost().micros())))
                .isEqualTo(BigInteger.valueOf(totals.totalCost().micros()));
    }

    @Property(tries = 300)
    void a_rollup_of_cells_is_their_exact_sum_in_any_order(@ForAll("cells") List<UsageAmounts> cells) {
        for (UsageAmounts.Cell cell : cells.stream().map(UsageAmounts::cell).distinct().toList()) {
            List<UsageAmounts> same = cells.stream().filter(c -> c.cell().equals(cell)).toList();
            UsageAmounts forward = same.stream().reduce(UsageAmounts::plus).orElseThrow();
            List<UsageAmounts> reversed = new ArrayList<>(same);
            java.util.Collections.reverse(reversed);
            UsageAmounts backward = reversed.stream().reduce(UsageAmounts::plus).orElseThrow();
            assertThat(forward).isEqualTo(backward);
            assertThat(forward.quantity()).isEqualTo(sum(same, c -> true, UsageAmounts::quantity));
            assertThat(forward.inputTokens()).isEqualTo(sum(same, c -> true, UsageAmounts::inputTokens));
            assertThat(forward.count()).isEqualTo(sum(same, c -> true, UsageAmounts::count));
        }
    }

    @Property(tries = 50)
    void a_petabyte_held_for_ten_years_is_reported_to_the_byte_second(@ForAll("events") long ignored) {
        List<UsageAmounts> days = new ArrayList<>();
        for (long day = 0; day < TEN_YEARS_OF_DAYS; day++) {
            days.add(new UsageAmounts(null, UsageKind.STORAGE, "ws", false, "byte_seconds", BigInteger.ONE,
                    BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, PEBIBYTE_DAY, BigInteger.ZERO,
                    Credits.ofMicros(1)));
        }
        UsageReport.Row row = UsageReport.totals(days, List.of());
        BigInteger expected = BigInteger.valueOf(PEBIBYTE).multiply(BigInteger.valueOf(86_400 * TEN_YEARS_OF_DAYS));
        assertThat(row.storageUsage().byteSeconds()).isEqualTo(expected);
        assertThat(expected.bitLength()).isGreaterThan(63);
        // 2^20 GiB for 24 h a day, ten years of days: exact, to the hour.
        assertThat(row.storageUsage().gibHours()).isEqualByComparingTo(
                new java.math.BigDecimal(BigInteger.valueOf(1L << 20).multiply(BigInteger.valueOf(24 * TEN_YEARS_OF_DAYS))));
    }

    private static UsageAmounts times(UsageAmounts event, long events) {
        BigInteger n = BigInteger.valueOf(events);
        return new UsageAmounts(event.memberId(), event.kind(), event.key(), event.byok(), event.unit(),
                event.count().multiply(n), event.inputTokens().multiply(n), event.outputTokens().multiply(n),
                event.cachedInputTokens().multiply(n), event.quantity().multiply(n),
                event.forgivenQuantity().multiply(n), event.cost());
    }

    private static UsageAmounts withCost(UsageAmounts cell, long costMicros) {
        return new UsageAmounts(cell.memberId(), cell.kind(), cell.key(), cell.byok(), cell.unit(), cell.count(),
                cell.inputTokens(), cell.outputTokens(), cell.cachedInputTokens(), cell.quantity(),
                cell.forgivenQuantity(), cell.byok() ? Credits.ZERO : Credits.ofMicros(costMicros));
    }

    private static BigInteger sum(List<UsageAmounts> cells, java.util.function.Predicate<UsageAmounts> which,
                                  Function<UsageAmounts, BigInteger> counter) {
        return cells.stream().filter(which).map(counter).reduce(BigInteger.ZERO, BigInteger::add);
    }

    private static BigInteger sumRows(List<UsageReport.Row> rows, Function<UsageReport.Row, BigInteger> counter) {
        return rows.stream().map(counter).filter(Objects::nonNull).reduce(BigInteger.ZERO, BigInteger::add);
    }

    /** Usage amounts of any cell, counters given as {@code long}s. */
    static UsageAmounts cell(MemberId memberId, UsageKind kind, String key, boolean byok, String unit, long count,
                             long inputTokens, long outputTokens, long cachedInputTokens, long quantity,
                             long forgivenQuantity, Credits cost) {
        return new UsageAmounts(memberId, kind, key, byok, unit, java.math.BigInteger.valueOf(count),
                java.math.BigInteger.valueOf(inputTokens), java.math.BigInteger.valueOf(outputTokens),
                java.math.BigInteger.valueOf(cachedInputTokens), java.math.BigInteger.valueOf(quantity),
                java.math.BigInteger.valueOf(forgivenQuantity), cost);
    }
}
