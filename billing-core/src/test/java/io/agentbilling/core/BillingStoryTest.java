package io.agentbilling.core;

import io.agentbilling.core.usecase.SettleDeduction;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.money.Credits;
import io.agentbilling.testkit.FakePaymentGateway;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.core.usage.UsagePeriod;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateApiKey;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.GetCreditHistory;
import io.agentbilling.core.usecase.GetCredits;
import io.agentbilling.core.usecase.GetUsageReport;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.core.usecase.SettleSandboxRuntime;
import io.agentbilling.core.usecase.SettleStorageUsage;
import io.agentbilling.core.usecase.SettleToolExecution;
import io.agentbilling.core.usecase.SettlementResult;
import io.agentbilling.core.usecase.StartSandboxRuntime;
import io.agentbilling.core.usecase.StartTopup;
import io.agentbilling.core.usecase.UpdateAutoTopup;
import io.agentbilling.core.usecase.VerifyCheckout;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** One whole story through the core alone, as an embedder would drive it, with in-memory stores and a fake gateway. */
class BillingStoryTest {
    private final MutableClock clock = MutableClock.at("2026-11-10T09:00:00Z");
    private final FakePaymentGateway gateway = new FakePaymentGateway();
    private final AtomicInteger attemptsCreated = new AtomicInteger();
    private final Billing billing = Billing.builder(new InMemoryTransactions(), clock)
            .paymentGateway(gateway)
            .onAutoTopupAttempt(attempt -> attemptsCreated.incrementAndGet())
            .build();

    @Test
    void an_org_signs_up_spends_reads_its_ledger_tops_up_and_crosses_its_auto_topup_threshold() {
        // Sign-up: the free plan's $5 grant.
        CreateOrg.Result created = billing.createOrg().execute(CreateOrg.Command.builder()
                .name("Acme").plan("free").idempotencyKey("signup-acme").build());
        OrgId org = created.org().id();
        Member admin = billing.addMember().execute(new AddMember.Command(org, "admin@acme.test", Role.ADMIN)).member();
        Member dev = billing.addMember().execute(new AddMember.Command(org, "dev@acme.test", Role.MEMBER)).member();
        CreateApiKey.Result key = billing.createApiKey().execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(dev.id()).name("laptop").build());
        Caller devCaller = billing.authenticateApiKey().execute(key.plainKey()).orElseThrow();
        Caller adminCaller = Caller.of(admin);
        assertThat(devCaller.memberId()).isEqualTo(dev.id());
        assertThat(billing.getCredits().forOrg(org).balance()).isEqualTo(Credits.ofCents(500));

        // Usage of every kind.
        SettlementResult model = billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(dev.id()).model("gpt-5").inputTokens(100_000).outputTokens(20_000)
                .referenceId("req-1").idempotencyKey("model-1").build());
        SettlementResult byok = billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(dev.id()).model("gpt-5").inputTokens(50_000).outputTokens(5_000).byok(true)
                .referenceId("req-2").idempotencyKey("model-2").build());
        SettlementResult tool = billing.settleToolExecution().execute(SettleToolExecution.Command.builder()
                .orgId(org).memberId(dev.id()).tool("web_search").count(3).referenceId("tool-1")
                .idempotencyKey("tool-1").build());
        clock.advance(Duration.ofHours(1)); // storage is reported for the hour since the org was created
        Instant storageFrom = clock.instant().minus(Duration.ofHours(1));
        SettlementResult storage = billing.settleStorageUsage().execute(SettleStorageUsage.Command.builder()
                .orgId(org).workspaceId("ws-1").memberId(dev.id()).byteSeconds((1L << 30) * 3600).from(storageFrom)
                .to(clock.instant()).idempotencyKey("storage-1").build());
        billing.startSandboxRuntime().execute(StartSandboxRuntime.Command.builder()
                .sandboxId("sbx-1").orgId(org).memberId(dev.id()).size("small").idempotencyKey("sbx-start-1")
                .build());
        clock.advance(Duration.ofMinutes(10));
        SettleSandboxRuntime.Result sandbox = billing.settleSandboxRuntime().execute(
                SettleSandboxRuntime.Command.builder()
                        .sandboxId("sbx-1").seconds(600).finalSettlement(true).idempotencyKey("sbx-settle-1")
                        .build());

        // $1.25/M in + $10/M out: 100k in = 12.5¢, 20k out = 20¢.
        assertThat(model.charged()).isEqualTo(Credits.ofMicros(32_500_000));
        assertThat(byok.charged()).isEqualTo(Credits.ZERO);
        assertThat(tool.charged()).isEqualTo(Credits.ofCents(3));
        assertThat(storage.charged().isPositive()).isTrue();
        assertThat(sandbox.settlement().charged()).isEqualTo(Credits.ofMicros(600 * 1_400));
        Credits spent = model.charged().plus(tool.charged()).plus(storage.charged()).plus(sandbox.settlement().charged());
        GetCredits.Result credits = billing.getCredits().forOrg(org);
        assertThat(credits.balance()).isEqualTo(Credits.ofCents(500).minus(spent));
        assertThat(credits.totals().used()).isEqualTo(spent);
        assertThat(credits.freeCreditsUsed()).isFalse();

        // History, newest first.
        GetCreditHistory.Page history = billing.getCreditHistory().execute(devCaller,
                GetCreditHistory.Query.builder().limit(50).types(Set.of()).build());
        assertThat(history.entries()).extracting(LedgerEntry::type).containsExactly(EntryType.USAGE, EntryType.USAGE,
                EntryType.USAGE, EntryType.USAGE, EntryType.SIGNUP_GRANT);

        // Usage report: the member's own row, then the org's with all=true.
        GetUsageReport.Result mine = billing.getUsageReport().execute(
                new GetUsageReport.Command(devCaller, null, UsagePeriod.CURRENT, false));
        assertThat(mine.usage().tokens().input()).isEqualTo(100_000);
        assertThat(mine.usage().modelUsage()).hasSize(2);
        assertThat(mine.usage().toolExecutions()).isEqualTo(3);
        assertThat(mine.usage().sandboxRuntime().settledSeconds()).isEqualTo(600);
        assertThat(mine.usage().totalCost()).isEqualTo(spent);
        GetUsageReport.Result all = billing.getUsageReport().execute(
                new GetUsageReport.Command(adminCaller, null, UsagePeriod.LAST_30_DAYS, true));
        assertThat(all.members()).hasSize(1);
        assertThat(all.totals().totalCost()).isEqualTo(spent);

        // A card top-up through the gateway, verified twice: credited once.
        StartTopup.Result topup = billing.startTopup().execute(StartTopup.Command.builder()
                .caller(adminCaller).amountCents(2_500).build());
        gateway.payCheckout(topup.sessionId());
        VerifyCheckout.Result first = billing.verifyCheckout().execute(new VerifyCheckout.Command(devCaller, topup.sessionId()));
        VerifyCheckout.Result second = billing.verifyCheckout().execute(new VerifyCheckout.Command(devCaller, topup.sessionId()));
        assertThat(first.credited()).isTrue();
        assertThat(second.entryId()).isEqualTo(first.entryId());
        Credits afterTopup = Credits.ofCents(500 + 2_500).minus(spent);
        assertThat(billing.getCredits().forOrg(org).balance()).isEqualTo(afterTopup);

        // Auto top-up: the saved card is charged once when a debit crosses the threshold.
        billing.updateAutoTopup().execute(UpdateAutoTopup.Command.builder()
                .caller(adminCaller).enabled(true).thresholdCents(2_000L).topupAmountCents(1_000L).build());
        long toCross = afterTopup.minus(Credits.ofCents(2_000)).micros() + 1;
        billing.settleDeduction().execute(SettleDeduction.Command.builder()
                .orgId(org).amountMicros(toCross).resource("code_exec").description("crossing").referenceId("ref")
                .idempotencyKey("cross-1").build());
        billing.settleDeduction().execute(SettleDeduction.Command.builder()
                .orgId(org).amountMicros(1).resource("code_exec").description("below").referenceId("ref")
                .idempotencyKey("cross-2").build());
        assertThat(attemptsCreated.get()).isEqualTo(1);
        billing.runAutoTopups().execute();
        assertThat(gateway.successfulCharges()).isEqualTo(1);
        List<LedgerEntry> autoTopups = billing.getCreditHistory().execute(devCaller,
                GetCreditHistory.Query.builder().limit(10).types(Set.of(EntryType.AUTO_TOPUP)).build()).entries();
        assertThat(autoTopups).singleElement().satisfies(e -> assertThat(e.amount()).isEqualTo(Credits.ofCents(1_000)));
        assertThat(billing.verifyLedger().execute().clean()).isTrue();
    }
}
