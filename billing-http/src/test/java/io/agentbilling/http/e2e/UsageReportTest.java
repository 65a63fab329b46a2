package io.agentbilling.http.e2e;

import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.e2e.PublicApi.deduct;
import static io.agentbilling.http.support.Envelopes.detailField;
import static io.agentbilling.http.support.Envelopes.error;
import static io.agentbilling.http.support.Envelopes.fields;
import static io.agentbilling.http.e2e.PublicApi.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbilling.core.Billing;
import io.agentbilling.core.usecase.HeartbeatSandboxRuntime;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.core.usecase.SettleResourceCharge;
import io.agentbilling.core.usecase.SettleSandboxRuntime;
import io.agentbilling.core.usecase.SettleStorageUsage;
import io.agentbilling.core.usecase.SettleToolExecution;
import io.agentbilling.core.usecase.StartSandboxRuntime;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md A4 over real HTTP: one org's usage of every kind, settled through the engine, read back as the member's own
 * row and (admins) as every member's row plus the org's totals, for every period.
 */
class UsageReportTest {
    private static final long GIB = 1L << 30;
    private static final List<String> ROW_FIELDS = List.of("memberId", "tokens", "modelUsage", "sandboxRuntime",
            "storageUsage", "toolExecutions", "resourceCharges", "totalCostCents");
    private static TestApplication server;
    private static TestOrg org;

    @BeforeAll
    static void start() {
        server = new TestApplication();
        org = server.newOrg("free");
        server.backdate(org.orgId(), java.time.Duration.ofHours(3)); // its usage below began before this test ran
        Billing billing = server.app.billing();
        Instant now = Instant.now();
        // The member: a Platform model call (627 500 µ¢), a BYOK call (free), three web searches (3 ¢), two GiB-hours
        // of storage (27 778 µ¢), 600 s of code execution (1.2 ¢), a settled large sandbox (600 s = 3.36 ¢, 30 s
        // forgiven) and a running xlarge one started a minute ago.
        billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org.orgId()).memberId(org.member().id()).model("gpt-5").inputTokens(1000).outputTokens(500)
                .cachedInputTokens(200).referenceId("call-1").idempotencyKey(idem("m1")).build());
        billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org.orgId()).memberId(org.member().id()).model("claude-sonnet-4-5").inputTokens(10_000)
                .outputTokens(2000).byok(true).referenceId("call-2").idempotencyKey(idem("m2")).build());
        billing.settleToolExecution().execute(SettleToolExecution.Command.builder()
                .orgId(org.orgId()).memberId(org.member().id()).tool("web_search").count(3).referenceId("tool-1")
                .idempotencyKey(idem("t1")).build());
        // Storage counts on the day its span began: keep that today, so the calendar month's report has it too.
        Instant today = now.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
        Instant storageFrom = now.minusSeconds(7200).isBefore(today) ? today : now.minusSeconds(7200);
        billing.settleStorageUsage().execute(SettleStorageUsage.Command.builder()
                .orgId(org.orgId()).workspaceId("ws-1").memberId(org.member().id()).byteSeconds(2 * GIB * 3600)
                .from(storageFrom).to(now.plusNanos(1000)).idempotencyKey(idem("s1")).build());
        billing.settleResourceCharge().execute(SettleResourceCharge.Command.builder()
                .orgId(org.orgId()).memberId(org.member().id()).resource("code_exec").quantity(600).unit("seconds")
                .referenceId("exec-1").idempotencyKey(idem("r1")).build());
        billing.startSandboxRuntime().execute(StartSandboxRuntime.Command.builder()
                .sandboxId("sbx-settled").orgId(org.orgId()).memberId(org.member().id()).size("large")
                .startedAt(now.minusSeconds(900)).idempotencyKey(idem("sb1")).build());
        billing.settleSandboxRuntime().execute(SettleSandboxRuntime.Command.builder()
                .sandboxId("sbx-settled").seconds(600).forgivenSeconds(30).finalSettlement(true)
                .idempotencyKey(idem("sb1-settle")).build());
        billing.startSandboxRuntime().execute(StartSandboxRuntime.Command.builder()
                .sandboxId("sbx-active").orgId(org.orgId()).memberId(org.member().id()).size("xlarge")
                .startedAt(now.minusSeconds(60)).idempotencyKey(idem("sb2")).build());
        // The admin: a gpt-5-mini call (0.3 ¢) and a medium sandbox silent since 300 s of heartbeats (pending).
        billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org.orgId()).memberId(org.admin().id()).model("gpt-5-mini").inputTokens(4000)
                .outputTokens(1000).referenceId("call-3").idempotencyKey(idem("m3")).build());
        billing.startSandboxRuntime().execute(StartSandboxRuntime.Command.builder()
                .sandboxId("sbx-pending").orgId(org.orgId()).memberId(org.admin().id()).size("medium")
                .startedAt(now.minusSeconds(600)).idempotencyKey(idem("sb3")).build());
        billing.heartbeatSandboxRuntime().execute(new HeartbeatSandboxRuntime.Command("sbx-pending",
                now.minusSeconds(300)));
        // The org itself: a support charge of 2.5 ¢ attributed to no member.
        deduct(server, org.orgId(), null, 2_500_000L, "support", "ticket-9");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * {@code daily}: days of the period, oldest first, each {@code {day, costCents}}; the calls and settlements above
     * happened today (storage is priced on the day its span began, which may be yesterday just after midnight).
     */
    private static void assertDaily(JsonNode report) {
        JsonNode daily = report.path("daily");
        assertThat(daily.isArray()).isTrue();
        assertThat(daily.size()).isBetween(1, 2);
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        assertThat(daily.get(daily.size() - 1).path("day").asText()).isEqualTo(today);
        String previous = "";
        for (JsonNode day : daily) {
            assertThat(fields(day)).containsExactly("day", "costCents");
            assertThat(day.path("day").asText()).isGreaterThan(previous)
                    .isGreaterThanOrEqualTo(report.path("from").asText().substring(0, 10));
            assertThat(day.path("costCents").isIntegralNumber()).isTrue();
            previous = day.path("day").asText();
        }
        assertThat(daily.get(daily.size() - 1).path("costCents").asLong()).isPositive();
    }

    private static String idem(String name) {
        return name + "-" + UUID.randomUUID();
    }

    @Test
    void a_member_sees_their_own_row_with_every_documented_field() {
        JsonNode report = data(server.get("/v1/billing/my-usage", key(org.memberKey())));

        assertThat(fields(report)).containsExactly("orgId", "period", "from", "to", "usage", "daily");
        assertThat(report.path("orgId").asText()).isEqualTo(org.orgId().toString());
        assertDaily(report);
        assertThat(report.path("period").asText()).isEqualTo("current");
        JsonNode usage = report.path("usage");
        assertThat(fields(usage)).containsExactlyElementsOf(ROW_FIELDS);
        assertThat(usage.path("memberId").asText()).isEqualTo(org.member().id().toString());
        assertThat(usage.path("tokens").toString()).isEqualTo("{\"input\":1200,\"output\":500,\"total\":1700}");

        JsonNode models = usage.path("modelUsage");
        assertThat(models.size()).isEqualTo(2);
        assertThat(fields(models.get(0))).containsExactly("model", "byok", "requests", "inputTokens",
                "cachedInputTokens", "outputTokens", "totalTokens", "costCents");
        assertThat(models.get(0).toString()).isEqualTo("{\"model\":\"claude-sonnet-4-5\",\"byok\":true,\"requests\":1,"
                + "\"inputTokens\":10000,\"cachedInputTokens\":0,\"outputTokens\":2000,\"totalTokens\":12000,"
                + "\"costCents\":0}");
        assertThat(models.get(1).toString()).isEqualTo("{\"model\":\"gpt-5\",\"byok\":false,\"requests\":1,"
                + "\"inputTokens\":1200,\"cachedInputTokens\":200,\"outputTokens\":500,\"totalTokens\":1700,"
                + "\"costCents\":1}");

        JsonNode sandbox = usage.path("sandboxRuntime");
        assertThat(fields(sandbox)).containsExactly("settledSeconds", "pendingSeconds", "forgivenSeconds",
                "activeSeconds", "settledCents", "pendingCents", "activeEstimateCents");
        assertThat(sandbox.path("settledSeconds").asLong()).isEqualTo(600);
        assertThat(sandbox.path("forgivenSeconds").asLong()).isEqualTo(30);
        assertThat(sandbox.path("settledCents").asLong()).isEqualTo(3);
        assertThat(sandbox.path("pendingSeconds").asLong()).isZero();
        assertThat(sandbox.path("pendingCents").asLong()).isZero();
        // Running for about a minute at 11 200 µ¢/s: 0.67 to 1.3 ¢ while the test runs.
        assertThat(sandbox.path("activeSeconds").asLong()).isBetween(60L, 115L);
        assertThat(sandbox.path("activeEstimateCents").asLong()).isEqualTo(1);

        JsonNode storage = usage.path("storageUsage");
        assertThat(fields(storage)).containsExactly("byteSeconds", "gibHours", "costCents");
        assertThat(storage.path("byteSeconds").asLong()).isEqualTo(2 * GIB * 3600);
        assertThat(storage.path("gibHours").isNumber()).isTrue();
        assertThat(storage.path("gibHours").decimalValue()).isEqualByComparingTo(new BigDecimal("2"));
        assertThat(storage.toString()).isEqualTo("{\"byteSeconds\":7730941132800,\"gibHours\":2,\"costCents\":0}");
        assertThat(storage.path("costCents").asLong()).isZero();

        assertThat(usage.path("toolExecutions").asLong()).isEqualTo(3);
        assertThat(usage.path("resourceCharges").toString())
                .isEqualTo("[{\"resource\":\"code_exec\",\"quantity\":600,\"unit\":\"seconds\",\"costCents\":1}]");
        // 627 500 + 3 000 000 + 27 778 + 1 200 000 + 3 360 000 µ¢ = 8.215 ¢; the running sandbox is not charged yet.
        assertThat(usage.path("totalCostCents").asLong()).isEqualTo(8);
    }

    @Test
    void an_admin_with_all_sees_every_member_with_usage_and_the_org_totals() {
        JsonNode report = data(server.get("/v1/billing/my-usage?all=true", key(org.adminKey())));

        assertThat(fields(report)).containsExactly("orgId", "period", "from", "to", "members", "totals", "daily");
        assertDaily(report);
        JsonNode members = report.path("members");
        assertThat(members.size()).isEqualTo(2);
        Map<String, JsonNode> byMember = Map.of(members.get(0).path("memberId").asText(), members.get(0),
                members.get(1).path("memberId").asText(), members.get(1));
        assertThat(byMember).containsOnlyKeys(org.member().id().toString(), org.admin().id().toString());
        JsonNode memberRow = byMember.get(org.member().id().toString());
        JsonNode ownRow = data(server.get("/v1/billing/my-usage", key(org.memberKey()))).path("usage");
        assertThat(withoutActive(memberRow)).isEqualTo(withoutActive(ownRow));

        JsonNode adminRow = byMember.get(org.admin().id().toString());
        assertThat(fields(adminRow)).containsExactlyElementsOf(ROW_FIELDS);
        assertThat(adminRow.path("tokens").toString()).isEqualTo("{\"input\":4000,\"output\":1000,\"total\":5000}");
        assertThat(adminRow.path("modelUsage").get(0).path("model").asText()).isEqualTo("gpt-5-mini");
        assertThat(adminRow.path("modelUsage").get(0).path("costCents").asLong()).isZero();
        assertThat(adminRow.path("sandboxRuntime").path("pendingSeconds").asLong()).isEqualTo(300);
        assertThat(adminRow.path("sandboxRuntime").path("pendingCents").asLong()).isEqualTo(1);   // 0.84 ¢
        assertThat(adminRow.path("sandboxRuntime").path("activeSeconds").asLong()).isZero();
        assertThat(adminRow.path("totalCostCents").asLong()).isZero();                            // 0.3 ¢

        JsonNode totals = report.path("totals");
        assertThat(fields(totals)).containsExactlyElementsOf(ROW_FIELDS);
        assertThat(totals.path("memberId").isNull()).isTrue();
        assertThat(totals.path("tokens").toString()).isEqualTo("{\"input\":5200,\"output\":1500,\"total\":6700}");
        assertThat(totals.path("modelUsage").findValuesAsText("model"))
                .containsExactly("claude-sonnet-4-5", "gpt-5", "gpt-5-mini");
        assertThat(totals.path("sandboxRuntime").path("settledSeconds").asLong()).isEqualTo(600);
        assertThat(totals.path("sandboxRuntime").path("pendingSeconds").asLong()).isEqualTo(300);
        assertThat(totals.path("sandboxRuntime").path("forgivenSeconds").asLong()).isEqualTo(30);
        assertThat(totals.path("toolExecutions").asLong()).isEqualTo(3);
        assertThat(totals.path("resourceCharges").toString()).isEqualTo("[{\"resource\":\"code_exec\",\"quantity\":600,"
                + "\"unit\":\"seconds\",\"costCents\":1},{\"resource\":\"support\",\"quantity\":0,\"unit\":\"\","
                + "\"costCents\":2}]");
        // 8 215 278 (member) + 300 000 (admin) + 2 500 000 (support) µ¢ = 11.015 ¢.
        assertThat(totals.path("totalCostCents").asLong()).isEqualTo(11);
    }

    @Test
    void every_period_names_its_utc_day_range_and_today_s_usage_is_in_each() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate created = LocalDate.ofInstant(server.createdAt(org.orgId()), ZoneOffset.UTC);
        Map<String, LocalDate> starts = Map.of("current", today.withDayOfMonth(1), "7d", today.minusDays(6),
                "30d", today.minusDays(29), "all_time", created);
        for (Map.Entry<String, LocalDate> period : starts.entrySet()) {
            LocalDate end = period.getKey().equals("current") ? today.withDayOfMonth(1).plusMonths(1)
                    : today.plusDays(1);
            for (boolean all : List.of(false, true)) {
                JsonNode report = data(server.get("/v1/billing/my-usage?period=" + period.getKey() + "&all=" + all,
                        key(org.adminKey())));
                assertThat(report.path("period").asText()).isEqualTo(period.getKey());
                assertThat(report.path("from").asText()).as(period.getKey())
                        .isEqualTo(period.getValue().atStartOfDay(ZoneOffset.UTC).toInstant().toString());
                assertThat(report.path("to").asText()).isEqualTo(end.atStartOfDay(ZoneOffset.UTC).toInstant().toString());
                JsonNode row = all ? report.path("totals") : report.path("usage");
                assertThat(row.path("totalCostCents").asLong()).as(period.getKey() + " all=" + all)
                        .isEqualTo(all ? 11 : 0);
                assertThat(row.path("tokens").path("total").asLong()).isEqualTo(all ? 6700 : 5000);
            }
        }
        JsonNode member30d = data(server.get("/v1/billing/my-usage?period=30d", key(org.memberKey())));
        assertThat(member30d.path("usage").path("totalCostCents").asLong()).isEqualTo(8);
    }

    @Test
    void a_member_without_usage_gets_an_empty_row() {
        TestOrg quiet = server.newOrg("pro");

        JsonNode usage = data(server.get("/v1/billing/my-usage?period=all_time", key(quiet.memberKey())))
                .path("usage");

        assertThat(usage.path("memberId").asText()).isEqualTo(quiet.member().id().toString());
        assertThat(usage.path("modelUsage").size()).isZero();
        assertThat(usage.path("resourceCharges").size()).isZero();
        assertThat(usage.path("storageUsage").toString()).isEqualTo("{\"byteSeconds\":0,\"gibHours\":0,\"costCents\":0}");
        assertThat(usage.path("totalCostCents").asLong()).isZero();
        JsonNode all = data(server.get("/v1/billing/my-usage?all=true", key(quiet.adminKey())));
        assertThat(all.path("members").size()).isZero();
        assertThat(all.path("totals").path("totalCostCents").asLong()).isZero();
    }

    @Test
    void all_is_for_admins_and_bad_parameters_are_refused() {
        error(server.get("/v1/billing/my-usage?all=true", key(org.memberKey())), 403, "forbidden");
        assertThat(server.get("/v1/billing/my-usage?all=false", key(org.memberKey())).status()).isEqualTo(200);
        for (String period : List.of("month", "1d", "CURRENT", "all-time")) {
            Answer refused = server.get("/v1/billing/my-usage?period=" + period,
                    key(org.memberKey()));
            error(refused, 400, "bad_request");
            assertThat(detailField(refused)).isEqualTo("period");
        }
        Answer badAll = server.get("/v1/billing/my-usage?all=yes", key(org.adminKey()));
        error(badAll, 400, "bad_request");
        assertThat(detailField(badAll)).isEqualTo("all");
        TestOrg other = server.newOrg("free");
        error(server.get("/v1/billing/my-usage?orgId=" + other.orgId(), key(org.adminKey())), 403, "forbidden");
        assertThat(server.get("/v1/billing/my-usage?orgId=" + org.orgId(), key(org.adminKey())).status())
                .isEqualTo(200);
        error(server.get("/v1/billing/my-usage"), 401, "unauthorized");
    }

    /** A row without the running sandbox's figures, which move between two reads. */
    private static String withoutActive(JsonNode row) {
        ObjectNode copy = row.deepCopy();
        ((ObjectNode) copy.path("sandboxRuntime")).remove(
                List.of("activeSeconds", "activeEstimateCents"));
        return copy.toString();
    }
}
