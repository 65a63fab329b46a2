package io.agentbilling.core.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.money.UnitPrice;
import io.agentbilling.core.pricing.PriceCatalog;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UsageReportTest {
    private static final MemberId ANN = new MemberId(new UUID(0, 1));
    private static final MemberId BOB = new MemberId(new UUID(0, 2));

    private static UsageAmounts model(MemberId m, String model, boolean byok, long in, long out, long cached,
                                      long costMicros) {
        return cell(m, UsageKind.MODEL, model, byok, "", 1, in, out, cached, 0, 0,
                Credits.ofMicros(costMicros));
    }

    private static UsageAmounts of(MemberId m, UsageKind kind, String key, String unit, long count, long quantity,
                                   long forgiven, long costMicros) {
        return cell(m, kind, key, false, unit, count, 0, 0, 0, quantity, forgiven,
                Credits.ofMicros(costMicros));
    }

    private static BigInteger big(long value) {
        return BigInteger.valueOf(value);
    }

    @Test
    void tokens_count_platform_models_only_and_input_includes_cached_input() {
        UsageReport.Row row = UsageReport.row(ANN, List.of(
                model(ANN, "gpt-5", false, 100, 50, 10, 1_000),
                model(ANN, "gpt-5", true, 7_000, 7_000, 0, 0)), List.of());
        assertThat(row.tokens()).isEqualTo(new UsageReport.Tokens(big(110), big(50), big(160)));
        assertThat(row.modelUsage()).extracting(UsageReport.ModelUsage::byok).containsExactly(false, true);
        assertThat(row.modelUsage().get(1).totalTokens()).isEqualTo(14_000);
        assertThat(row.modelUsage().get(1).cost()).isEqualTo(Credits.ZERO);
        assertThat(row.totalCost()).isEqualTo(Credits.ofMicros(1_000));
    }

    @Test
    void model_rows_sum_requests_and_tokens_per_model_and_byok() {
        UsageReport.Row row = UsageReport.row(ANN, List.of(
                model(ANN, "b-model", false, 1, 1, 0, 5),
                model(ANN, "a-model", false, 2, 2, 0, 6),
                model(BOB, "a-model", false, 3, 3, 3, 7)), List.of());
        assertThat(row.modelUsage()).containsExactly(
                new UsageReport.ModelUsage("a-model", false, big(2), big(5), big(3), big(5), big(13), Credits.ofMicros(13)),
                new UsageReport.ModelUsage("b-model", false, big(1), big(1), big(0), big(1), big(2), Credits.ofMicros(5)));
    }

    @Test
    void storage_reports_gib_hours_exactly_to_six_decimals() {
        long oneGibHour = PriceCatalog.BYTES_PER_GIB * 3_600;
        UsageReport.Row row = UsageReport.row(null, List.of(
                of(null, UsageKind.STORAGE, "ws-1", "byte_seconds", 1, oneGibHour, 0, 3),
                of(null, UsageKind.STORAGE, "ws-2", "byte_seconds", 1, oneGibHour / 2 + 1, 0, 2)), List.of());
        assertThat(row.storageUsage().byteSeconds()).isEqualTo(oneGibHour + oneGibHour / 2 + 1);
        assertThat(row.storageUsage().gibHours()).isEqualTo(new BigDecimal("1.500000"));
        assertThat(row.storageUsage().cost()).isEqualTo(Credits.ofMicros(5));
    }

    @Test
    void sandbox_tool_and_resource_usage_land_in_their_own_fields_and_in_the_total() {
        UsageReport.Row row = UsageReport.row(ANN, List.of(
                of(ANN, UsageKind.SANDBOX, "small", "seconds", 0, 60, 5, 84_000),
                of(ANN, UsageKind.SANDBOX, "large", "seconds", 0, 10, 0, 56_000),
                of(ANN, UsageKind.TOOL, "web_search", "executions", 3, 0, 0, 3_000_000),
                of(ANN, UsageKind.RESOURCE, "code_exec", "seconds", 1, 10, 0, 20_000),
                of(ANN, UsageKind.RESOURCE, "code_exec", "seconds", 1, 5, 0, 10_000),
                of(ANN, UsageKind.RESOURCE, "code_exec", "", 1, 0, 0, 1)), List.of());
        assertThat(row.sandboxRuntime().settledSeconds()).isEqualTo(70);
        assertThat(row.sandboxRuntime().forgivenSeconds()).isEqualTo(5);
        assertThat(row.sandboxRuntime().settledCost()).isEqualTo(Credits.ofMicros(140_000));
        assertThat(row.toolExecutions()).isEqualTo(3);
        assertThat(row.toolCost()).isEqualTo(Credits.ofCents(3));
        assertThat(row.resourceCharges()).containsExactly(
                new UsageReport.ResourceCharge("code_exec", big(0), "", Credits.ofMicros(1)),
                new UsageReport.ResourceCharge("code_exec", big(15), "seconds", Credits.ofMicros(30_000)));
        assertThat(row.totalCost()).isEqualTo(Credits.ofMicros(84_000 + 56_000 + 3_000_000 + 30_001));
    }

    @Test
    void open_meters_add_pending_and_active_estimates_but_not_to_the_total() {
        Instant t0 = Instant.parse("2026-03-10T12:00:00Z");
        Duration timeout = Duration.ofMinutes(2);
        UnitPrice price = UnitPrice.microsPerUnit("0.5");
        SandboxMeter running = SandboxMeter.start("a", OrgId.random(), ANN, "small", t0).heartbeat(t0.plusSeconds(90));
        SandboxMeter silent = SandboxMeter.start("b", OrgId.random(), ANN, "small", t0).heartbeat(t0.plusSeconds(5));
        Instant now = t0.plusSeconds(127);
        UsageReport.Row row = UsageReport.row(ANN, List.of(), List.of(
                UsageReport.MeterEstimate.of(running, price, now, timeout),
                UsageReport.MeterEstimate.of(silent, price, now, timeout)));
        assertThat(row.sandboxRuntime().activeSeconds()).isEqualTo(127);
        assertThat(row.sandboxRuntime().activeEstimate()).isEqualTo(Credits.ofMicros(64)); // 63.5 → 64
        assertThat(row.sandboxRuntime().pendingSeconds()).isEqualTo(5);
        assertThat(row.sandboxRuntime().pendingEstimate()).isEqualTo(Credits.ofMicros(2)); // 2.5 → 2
        assertThat(row.totalCost()).isEqualTo(Credits.ZERO);
    }

    @Test
    void member_rows_omit_usage_without_a_member_which_only_the_totals_count() {
        List<UsageAmounts> amounts = List.of(
                of(BOB, UsageKind.TOOL, "t", "executions", 1, 0, 0, 10),
                of(ANN, UsageKind.TOOL, "t", "executions", 2, 0, 0, 20),
                of(null, UsageKind.STORAGE, "ws", "byte_seconds", 1, 100, 0, 30));
        List<UsageReport.Row> members = UsageReport.memberRows(amounts, List.of());
        assertThat(members).extracting(UsageReport.Row::memberId).containsExactly(ANN, BOB);
        assertThat(members).extracting(UsageReport.Row::totalCost)
                .containsExactly(Credits.ofMicros(20), Credits.ofMicros(10));
        UsageReport.Row totals = UsageReport.totals(amounts, List.of());
        assertThat(totals.memberId()).isNull();
        assertThat(totals.totalCost()).isEqualTo(Credits.ofMicros(60));
        assertThat(totals.toolExecutions()).isEqualTo(3);
    }

    @Test
    void an_empty_row_is_all_zeros() {
        UsageReport.Row row = UsageReport.row(ANN, List.of(), List.of());
        assertThat(row.tokens()).isEqualTo(new UsageReport.Tokens(big(0), big(0), big(0)));
        assertThat(row.modelUsage()).isEmpty();
        assertThat(row.storageUsage().gibHours()).isEqualTo(new BigDecimal("0.000000"));
        assertThat(row.totalCost()).isEqualTo(Credits.ZERO);
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
