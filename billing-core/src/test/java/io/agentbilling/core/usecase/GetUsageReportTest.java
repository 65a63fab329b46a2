package io.agentbilling.core.usecase;

import static io.agentbilling.core.usecase.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usage.DailyCost;
import io.agentbilling.core.usage.UsagePeriod;
import io.agentbilling.core.usage.UsageReport;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class GetUsageReportTest {
    /** The org is created on 2026-03-10 (the fixture's start); "now" is moved to 2026-04-20. */
    private static final Instant NOW = Instant.parse("2026-04-20T10:00:00Z");

    private final UsageFixture f = new UsageFixture();
    private final OrgId org = f.newOrg();
    private final MemberId admin = f.newMember(org, Role.ADMIN);
    private final MemberId ann = f.newMember(org);
    private final MemberId idle = f.newMember(org);

    private void model(MemberId member, long inputTokens, Instant at, String key) {
        f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(member).model("gpt-5").inputTokens(inputTokens).occurredAt(at)
                .idempotencyKey(key).build());
    }

    /**
     * ann: 1 000 tokens on 03-17 (v1 price, 125 000 µ¢), 100 on 04-05 (v2, 25 000 µ¢), 10 on 04-18 (2 500 µ¢);
     * admin: one BYOK call on 04-20; nobody: storage on 04-19 (4 µ¢). idle: nothing.
     */
    private void history() {
        f.clock.set(NOW);
        model(ann, 1_000, Instant.parse("2026-03-17T08:00:00Z"), "a1");
        model(ann, 100, Instant.parse("2026-04-05T08:00:00Z"), "a2");
        model(ann, 10, Instant.parse("2026-04-18T08:00:00Z"), "a3");
        f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(admin).model("gpt-5").inputTokens(50).outputTokens(50).byok(true)
                .idempotencyKey("b1").build());
        f.settleStorage.execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws").byteSeconds(1_000_000_000L).from(Instant.parse("2026-04-19T00:00:00Z"))
                .to(Instant.parse("2026-04-19T01:00:00Z")).idempotencyKey("s1").build());
    }

    private GetUsageReport.Result report(MemberId who, Role role, UsagePeriod period, boolean all) {
        return f.report.execute(new GetUsageReport.Command(new Caller(org, who, role, null), null, period, all));
    }

    @Test
    void a_member_sees_their_own_usage_for_each_period() {
        history();
        assertThat(report(ann, Role.MEMBER, UsagePeriod.CURRENT, false).usage().tokens().input()).isEqualTo(110);
        assertThat(report(ann, Role.MEMBER, UsagePeriod.LAST_7_DAYS, false).usage().tokens().input()).isEqualTo(10);
        assertThat(report(ann, Role.MEMBER, UsagePeriod.LAST_30_DAYS, false).usage().tokens().input()).isEqualTo(110);
        GetUsageReport.Result allTime = report(ann, Role.MEMBER, UsagePeriod.ALL_TIME, false);
        assertThat(allTime.usage().tokens().input()).isEqualTo(1_110);
        assertThat(allTime.usage().memberId()).isEqualTo(ann);
        assertThat(allTime.usage().totalCost()).isEqualTo(Credits.ofMicros(125_000 + 25_000 + 2_500));
        assertThat(allTime.members()).isNull();
        assertThat(allTime.totals()).isNull();
    }

    @Test
    void a_service_reads_an_org_s_or_a_member_s_report_without_acting_as_a_member() {
        history();
        GetUsageReport.Result org = f.report.forOrg(this.org, UsagePeriod.ALL_TIME);
        assertThat(org.members()).isEqualTo(report(admin, Role.ADMIN, UsagePeriod.ALL_TIME, true).members());
        assertThat(org.totals()).isEqualTo(report(admin, Role.ADMIN, UsagePeriod.ALL_TIME, true).totals());
        assertThat(org.usage()).isNull();

        GetUsageReport.Result annOnly = f.report.forMember(this.org, ann, UsagePeriod.ALL_TIME);
        assertThat(annOnly.usage()).isEqualTo(report(ann, Role.MEMBER, UsagePeriod.ALL_TIME, false).usage());
        assertThat(annOnly.members()).isNull();

        assertRefused(() -> f.report.forOrg(OrgId.random(), null), BillingError.NOT_FOUND);
        OrgId other = f.newOrg();
        assertRefused(() -> f.report.forMember(other, ann, null), BillingError.NOT_FOUND);
    }

    @Test
    void the_result_names_the_org_period_and_half_open_range() {
        history();
        GetUsageReport.Result current = report(ann, Role.MEMBER, null, false);
        assertThat(current.orgId()).isEqualTo(org);
        assertThat(current.period()).isEqualTo(UsagePeriod.CURRENT);
        assertThat(current.from()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
        assertThat(current.to()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
        assertThat(report(ann, Role.MEMBER, UsagePeriod.ALL_TIME, false).from())
                .isEqualTo(Instant.parse("2026-03-10T00:00:00Z"));
    }

    @Test
    void the_daily_costs_are_the_callers_own_or_with_all_the_orgs_within_the_period() {
        history();
        assertThat(report(ann, Role.MEMBER, UsagePeriod.CURRENT, false).daily()).containsExactly(
                new DailyCost(LocalDate.parse("2026-04-05"), Credits.ofMicros(25_000)),
                new DailyCost(LocalDate.parse("2026-04-18"), Credits.ofMicros(2_500)));
        assertThat(report(admin, Role.ADMIN, UsagePeriod.LAST_7_DAYS, true).daily()).containsExactly(
                new DailyCost(LocalDate.parse("2026-04-18"), Credits.ofMicros(2_500)),
                new DailyCost(LocalDate.parse("2026-04-19"), Credits.ofMicros(4)),
                new DailyCost(LocalDate.parse("2026-04-20"), Credits.ZERO));
    }

    @Test
    void a_member_without_usage_gets_an_empty_row() {
        history();
        UsageReport.Row row = report(idle, Role.MEMBER, UsagePeriod.ALL_TIME, false).usage();
        assertThat(row.memberId()).isEqualTo(idle);
        assertThat(row.totalCost()).isEqualTo(Credits.ZERO);
        assertThat(row.modelUsage()).isEmpty();
    }

    @Test
    void an_admin_asking_for_all_gets_member_rows_and_org_totals() {
        history();
        GetUsageReport.Result result = report(admin, Role.ADMIN, UsagePeriod.CURRENT, true);
        assertThat(result.usage()).isNull();
        assertThat(result.members()).extracting(UsageReport.Row::memberId).containsExactlyInAnyOrder(admin, ann);
        UsageReport.Row adminRow = result.members().stream().filter(r -> r.memberId().equals(admin)).findFirst()
                .orElseThrow();
        assertThat(adminRow.tokens().total()).isZero(); // BYOK only
        assertThat(adminRow.modelUsage()).singleElement().satisfies(m -> assertThat(m.byok()).isTrue());
        UsageReport.Row totals = result.totals();
        assertThat(totals.memberId()).isNull();
        assertThat(totals.tokens().input()).isEqualTo(110);
        assertThat(totals.storageUsage().byteSeconds()).isEqualTo(1_000_000_000L);
        assertThat(totals.totalCost()).isEqualTo(Credits.ofMicros(25_000 + 2_500 + 4));
    }

    @Test
    void a_member_asking_for_all_is_forbidden_and_so_is_another_org() {
        assertRefused(() -> report(ann, Role.MEMBER, UsagePeriod.CURRENT, true), BillingError.FORBIDDEN);
        assertRefused(() -> f.report.execute(new GetUsageReport.Command(new Caller(org, admin, Role.ADMIN, null),
                f.newOrg(), UsagePeriod.CURRENT, false)), BillingError.FORBIDDEN);
        assertThat(report(admin, Role.ADMIN, UsagePeriod.CURRENT, false).usage().memberId()).isEqualTo(admin);
    }

    @Test
    void open_sandboxes_show_as_active_and_pending_estimates_of_their_member() {
        f.startSandbox.execute(StartSandboxRuntime.Command.builder()
                .sandboxId("running").orgId(org).memberId(ann).size("small").idempotencyKey("k1").build());
        f.startSandbox.execute(StartSandboxRuntime.Command.builder()
                .sandboxId("silent").orgId(org).memberId(ann).size("large").idempotencyKey("k2").build());
        f.advance(Duration.ofSeconds(100));
        f.heartbeat.execute(new HeartbeatSandboxRuntime.Command("running", null));
        f.heartbeat.execute(new HeartbeatSandboxRuntime.Command("silent", null));
        f.settleSandbox.execute(SettleSandboxRuntime.Command.builder()
                .sandboxId("running").seconds(40).idempotencyKey("s1").build());
        f.advance(Duration.ofSeconds(110));
        f.heartbeat.execute(new HeartbeatSandboxRuntime.Command("running", null));
        f.advance(Duration.ofSeconds(20)); // "silent" last beat 130 s ago: past the 120 s timeout

        UsageReport.SandboxRuntime runtime = report(ann, Role.MEMBER, UsagePeriod.CURRENT, false).usage()
                .sandboxRuntime();
        assertThat(runtime.settledSeconds()).isEqualTo(40);
        assertThat(runtime.settledCost()).isEqualTo(Credits.ofMicros(40 * 1_400));
        assertThat(runtime.activeSeconds()).isEqualTo(230 - 40);
        assertThat(runtime.activeEstimate()).isEqualTo(Credits.ofMicros(190 * 1_400));
        assertThat(runtime.pendingSeconds()).isEqualTo(100);
        assertThat(runtime.pendingEstimate()).isEqualTo(Credits.ofMicros(100 * 5_600));

        GetUsageReport.Result all = report(admin, Role.ADMIN, UsagePeriod.CURRENT, true);
        assertThat(all.members()).extracting(UsageReport.Row::memberId).containsExactly(ann);
        assertThat(all.totals().sandboxRuntime().pendingSeconds()).isEqualTo(100);
        assertThat(report(admin, Role.ADMIN, UsagePeriod.CURRENT, false).usage().sandboxRuntime().activeSeconds())
                .isZero();
    }
}
