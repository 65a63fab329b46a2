package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.client.billing.MemberBudget;
import io.agentbilling.client.service.BatchItem;
import io.agentbilling.client.service.Charge;
import io.agentbilling.client.service.CreateOrg;
import io.agentbilling.client.service.CreatedApiKey;
import io.agentbilling.client.service.CreditCheck;
import io.agentbilling.client.service.CreditCheckRequest;
import io.agentbilling.client.service.Deduction;
import io.agentbilling.client.service.DeductionResult;
import io.agentbilling.client.service.Hold;
import io.agentbilling.client.service.HoldRequest;
import io.agentbilling.client.service.HoldStatus;
import io.agentbilling.client.service.Limit;
import io.agentbilling.client.service.LimitKind;
import io.agentbilling.client.service.ModelUsage;
import io.agentbilling.client.service.NewApiKey;
import io.agentbilling.client.service.ResourceCharge;
import io.agentbilling.client.service.Role;
import io.agentbilling.client.service.SandboxSettle;
import io.agentbilling.client.service.SandboxSettlement;
import io.agentbilling.client.service.SandboxStart;
import io.agentbilling.client.service.StorageUsage;
import io.agentbilling.client.service.ToolExecution;
import io.agentbilling.client.service.UsageEvent;
import io.agentbilling.http.faults.LedgerAudit;
import io.agentbilling.http.support.TestApplication;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spend controls through the client against the real server on a real PostgreSQL: holds placed, captured by the
 * settlements that name them (every kind, in a batch, by a sandbox meter, and by the {@link UsageReporter}) and
 * released; key caps counting the settlements that name the key; the credit gate and a refused hold naming the limit
 * as a {@link LimitKind}; and a spool written before settlements carried a key or a hold still delivered.
 */
class SpendControlsClientTest {
    private static final String BATCH = "usage-events:batch";

    private static TestApplication app;
    private static URI base;
    private static BillingServiceClient service;

    @TempDir
    Path spool;

    @BeforeAll
    static void start() {
        app = new TestApplication();
        base = URI.create("http://127.0.0.1:" + app.app.port());
        service = BillingServiceClient.create(base, TestApplication.INTERNAL_SECRET);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** An org (created a day ago, so usage a little in the past does not precede it), a member, and their key. */
    private record Org(UUID id, UUID member, UUID key) {
    }

    private static Org newOrg(long grantCents, Long keyMonthlyCapCents, Long keyLifetimeCapCents) {
        UUID org = service.createOrg(CreateOrg.of("Spend org").withPlan("pro").withSignupGrantCents(grantCents)).id();
        app.backdate(io.agentbilling.core.access.OrgId.of(org.toString()), Duration.ofDays(1));
        UUID member = service.addMember(org, null, Role.MEMBER).id();
        CreatedApiKey key = service.createApiKey(org, NewApiKey.of(member, "agent")
                .withCaps(keyMonthlyCapCents, keyLifetimeCapCents));
        return new Org(org, member, key.id());
    }

    private static Hold hold(Org org, long cents) {
        return service.placeHold(HoldRequest.of(org.id(), cents, 600).forMember(org.member()).throughKey(org.key()));
    }

    private static CreditCheck gate(Org org) {
        return service.creditCheck(CreditCheckRequest.of(org.id()).forMember(org.member()).throughKey(org.key()));
    }

    private static long keySpentCents(Org org) {
        return gate(org).limit(LimitKind.KEY_MONTHLY).spentCents();
    }

    /** Ledger entries per idempotency key, leaving out the org's sign-up grant. */
    private static Map<String, Integer> usageEntriesPerKey(Org org) {
        Map<String, Integer> entries = new java.util.HashMap<>(new LedgerAudit(app.database).entriesPerKey(org.id()));
        entries.keySet().removeIf(key -> key.startsWith("signup:"));
        return entries;
    }

    private static long centsHalfEven(long micros) {
        return BigDecimal.valueOf(micros).movePointLeft(6).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    @Test
    void a_settlement_naming_a_hold_captures_it_for_the_actual_amount_and_a_retry_replays_it() {
        Org org = newOrg(1_000, 5_000L, null);
        Hold hold = service.placeHold(HoldRequest.of(org.id(), 300, 600).forMember(org.member())
                .throughKey(org.key()).withIdempotencyKey("run-1"));
        assertThat(hold.status()).isEqualTo(HoldStatus.ACTIVE);
        assertThat(hold.apiKeyId()).isEqualTo(org.key());
        CreditCheck reserved = gate(org);
        assertThat(reserved.heldCents()).isEqualTo(300);
        assertThat(reserved.availableCents()).isEqualTo(700);
        assertThat(reserved.limit(LimitKind.KEY_MONTHLY).heldCents()).isEqualTo(300);

        Deduction settlement = Deduction.ofCents(org.id(), 120, "agent-run").withMemberId(org.member())
                .withApiKeyId(org.key()).withHoldId(hold.holdId()).withIdempotencyKey("run-1-settle");
        DeductionResult captured = service.deduct(settlement);
        assertThat(captured.amountCents()).as("the actual amount, not the hold's").isEqualTo(-120);
        assertThat(captured.replayed()).isFalse();
        Hold after = service.hold(hold.holdId());
        assertThat(after.status()).isEqualTo(HoldStatus.CAPTURED);
        assertThat(after.capturedCents()).isEqualTo(120);
        assertThat(after.closedAt()).isNotNull();
        CreditCheck released = gate(org);
        assertThat(released.balanceCents()).isEqualTo(880);
        assertThat(released.heldCents()).as("the rest of the hold is released").isZero();
        assertThat(released.availableCents()).isEqualTo(880);
        assertThat(released.limit(LimitKind.KEY_MONTHLY).spentCents()).isEqualTo(120);
        assertThat(released.limit(LimitKind.KEY_MONTHLY).heldCents()).isZero();

        DeductionResult retried = service.deduct(settlement);
        assertThat(retried.replayed()).isTrue();
        assertThat(retried.id()).isEqualTo(captured.id());
        assertThat(service.hold(hold.holdId())).isEqualTo(after);
        assertThat(gate(org).balanceCents()).as("a replay charges nothing").isEqualTo(880);
        assertThatThrownBy(() -> service.deduct(settlement.withHoldId(null)))
                .as("the same key without the hold is another payload")
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.isIdempotencyConflict()).isTrue());

        // A second settlement naming the captured hold: the usage happened, so it is charged; the hold stays as it is.
        DeductionResult second = service.deduct(Deduction.ofCents(org.id(), 50, "agent-run").withMemberId(org.member())
                .withHoldId(hold.holdId()).withIdempotencyKey("run-1-late"));
        assertThat(second.amountCents()).isEqualTo(-50);
        assertThat(service.hold(hold.holdId())).isEqualTo(after);
        assertThat(gate(org).balanceCents()).isEqualTo(830);
        assertThatThrownBy(() -> service.releaseHold(hold.holdId()))
                .as("a captured hold cannot be released").isInstanceOf(ConflictException.class);

        Hold other = hold(org, 200);
        assertThat(gate(org).availableCents()).isEqualTo(630);
        Hold let = service.releaseHold(other.holdId());
        assertThat(let.status()).isEqualTo(HoldStatus.RELEASED);
        assertThat(let.capturedCents()).isZero();
        assertThat(gate(org).availableCents()).isEqualTo(830);

        Hold small = hold(org, 100);
        Charge above = service.settleResourceCharge(ResourceCharge.of(org.id(), "gpu", 1, "hours")
                .withMemberId(org.member()).withAmountCents(150).withApiKeyId(org.key()).withHoldId(small.holdId()));
        assertThat(above.chargedCents()).as("charged above the hold").isEqualTo(150);
        assertThat(service.hold(small.holdId()).capturedCents()).isEqualTo(150);
        assertThat(gate(org).balanceCents()).isEqualTo(680);
        // The late settlement counts toward the key too: it named a hold placed for the key.
        assertThat(keySpentCents(org)).isEqualTo(120 + 50 + 150);
        assertThat(new LedgerAudit(app.database).problems()).isEmpty();
    }

    @Test
    void every_kind_of_settlement_carries_the_key_and_captures_the_hold_it_names() {
        Org org = newOrg(100_000, 50_000L, null);
        UUID member = org.member();
        List<Hold> holds = new ArrayList<>();
        List<Long> chargedMicros = new ArrayList<>();
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(10);

        List<UsageEvent> events = new ArrayList<>();
        events.add(ModelUsage.of(org.id(), member, "gpt-5", 1_000_000, 10_000));
        events.add(ToolExecution.of(org.id(), member, "web_search").withCount(3));
        events.add(StorageUsage.of(org.id(), "ws-1", 5L << 30, to.minusSeconds(3_600), to).withMemberId(member));
        events.add(ResourceCharge.of(org.id(), "code_exec", 90, "seconds").withMemberId(member));
        events.add(Deduction.ofMicros(org.id(), 1_234_567, "voice").withMemberId(member));
        for (UsageEvent event : events) {
            Hold hold = hold(org, 500);
            holds.add(hold);
            Charge charge = service.settle(event.withApiKeyId(org.key()).withHoldId(hold.holdId()));
            assertThat(charge.chargedMicros()).as(event.batchType()).isPositive();
            chargedMicros.add(charge.chargedMicros());
        }

        List<UsageEvent> batched = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Hold hold = hold(org, 500);
            holds.add(hold);
            batched.add(ToolExecution.of(org.id(), member, "web_search").withCount(i + 1).withApiKeyId(org.key())
                    .withHoldId(hold.holdId()));
        }
        Hold elsewhere = hold(newOrg(100, null, null), 10);
        List<UsageEvent> withForeignHold = new ArrayList<>(batched);
        withForeignHold.add(1, ToolExecution.of(org.id(), member, "web_search").withHoldId(elsewhere.holdId()));
        List<BatchItem> items = service.settleBatch(withForeignHold);
        assertThat(items.get(1).status()).as("a hold of another org refuses only its own event").isEqualTo(422);
        assertThat(items.get(1).error().details()).extracting(FieldIssue::field).contains("holdId");
        items = List.of(items.get(0), items.get(2), items.get(3));
        assertThat(items).allSatisfy(item -> assertThat(item.settled()).isTrue());
        items.forEach(item -> chargedMicros.add(item.result().chargedMicros()));

        // A meter started with a hold captures it as it settles; its final settlement closes the hold.
        Hold sandboxHold = hold(org, 500);
        holds.add(sandboxHold);
        service.startSandbox("sbx-spend", SandboxStart.of(org.id(), member, "small")
                .withStartedAt(Instant.now().minusSeconds(120)).withHoldId(sandboxHold.holdId()));
        SandboxSettlement settled = service.settleSandbox("sbx-spend", SandboxSettle.of(60, true));
        assertThat(settled.chargedMicros()).isEqualTo(60 * 1_400);
        chargedMicros.add(settled.chargedMicros());

        for (int i = 0; i < holds.size(); i++) {
            Hold hold = service.hold(holds.get(i).holdId());
            assertThat(hold.status()).as("hold %d", i).isEqualTo(HoldStatus.CAPTURED);
            assertThat(hold.capturedCents()).as("hold %d", i).isEqualTo(centsHalfEven(chargedMicros.get(i)));
        }
        long total = chargedMicros.stream().mapToLong(Long::longValue).sum();
        CreditCheck gate = gate(org);
        assertThat(gate.heldCents()).isZero();
        assertThat(gate.limit(LimitKind.KEY_MONTHLY).spentCents()).as("every settlement counted toward the key")
                .isEqualTo(centsHalfEven(total));
        assertThat(new LedgerAudit(app.database).balanceMicros(org.id())).isEqualTo(100_000L * 1_000_000 - total);

        Org stranger = newOrg(100, null, null);
        assertThatThrownBy(() -> service.deduct(Deduction.ofCents(org.id(), 1, "voice").withApiKeyId(stranger.key())))
                .as("a key of another org")
                .isInstanceOfSatisfying(UnprocessableException.class,
                        e -> assertThat(e.details()).extracting(FieldIssue::field).contains("apiKeyId"));
        Hold foreign = hold(stranger, 10);
        assertThatThrownBy(() -> service.deduct(Deduction.ofCents(org.id(), 1, "voice").withHoldId(foreign.holdId())))
                .as("a hold of another org")
                .isInstanceOfSatisfying(UnprocessableException.class,
                        e -> assertThat(e.details()).extracting(FieldIssue::field).contains("holdId"));
        assertThat(new LedgerAudit(app.database).balanceMicros(org.id())).as("nothing written")
                .isEqualTo(100_000L * 1_000_000 - total);
        assertThat(service.hold(foreign.holdId()).status()).isEqualTo(HoldStatus.ACTIVE);
    }

    @Test
    void a_key_cap_counts_settlements_naming_the_key_and_refuses_the_next_admission_with_a_typed_limit() {
        Org org = newOrg(10_000, 300L, null);
        service.deduct(Deduction.ofCents(org.id(), 250, "agent-run").withMemberId(org.member())
                .withApiKeyId(org.key()));
        service.deduct(Deduction.ofCents(org.id(), 400, "agent-run").withMemberId(org.member()));
        assertThat(keySpentCents(org)).as("only the settlement naming the key counts toward it").isEqualTo(250);

        CreditCheck refused = service.creditCheck(CreditCheckRequest.of(org.id()).withEstimatedCents(100)
                .forMember(org.member()).throughKey(org.key()));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limitedBy()).isEqualTo(LimitKind.KEY_MONTHLY);
        assertThat(refused.reason()).isEqualTo("spend_limit_reached");
        Limit cap = refused.limit(LimitKind.KEY_MONTHLY);
        assertThat(cap.limitCents()).isEqualTo(300);
        assertThat(cap.spentCents()).isEqualTo(250);
        assertThat(cap.remainingCents()).isEqualTo(50);
        assertThat(refused.limit(LimitKind.ORG_BALANCE).remainingCents()).isEqualTo(10_000 - 650);
        assertThatThrownBy(() -> hold(org, 100))
                .isInstanceOfSatisfying(InsufficientCreditException.class, e -> {
                    assertThat(e.status()).isEqualTo(402);
                    assertThat(e.limitedBy()).isEqualTo(LimitKind.KEY_MONTHLY);
                    assertThat(e.outcomeUnknown()).isFalse();
                });
        assertThat(gate(org).heldCents()).as("a refused hold reserves nothing").isZero();
        Hold last = hold(org, 50);

        // Usage past the cap is still charged (it happened); the gate then has nothing left to give.
        Charge past = service.settleToolExecution(ToolExecution.of(org.id(), org.member(), "web_search")
                .withCount(100).withApiKeyId(org.key()));
        assertThat(past.chargedCents()).isEqualTo(100);
        CreditCheck exhausted = gate(org);
        assertThat(exhausted.allowed()).isFalse();
        assertThat(exhausted.limitedBy()).isEqualTo(LimitKind.KEY_MONTHLY);
        assertThat(exhausted.limit(LimitKind.KEY_MONTHLY).remainingCents()).isEqualTo(300 - 350 - 50);
        service.releaseHold(last.holdId());

        Org lifetime = newOrg(10_000, null, 100L);
        service.settleModelUsage(ModelUsage.of(lifetime.id(), lifetime.member(), "gpt-5", 800_000, 0)
                .withApiKeyId(lifetime.key()));
        CreditCheck spent = gate(lifetime);
        assertThat(spent.allowed()).isFalse();
        assertThat(spent.limitedBy()).isEqualTo(LimitKind.KEY_LIFETIME);
        assertThat(spent.limit(LimitKind.KEY_LIFETIME).spentCents()).isEqualTo(100);
    }

    @Test
    void a_member_budget_refuses_a_hold_and_the_gate_names_it() {
        Org org = newOrg(10_000, null, null);
        UUID adminId = service.addMember(org.id(), "owner@example.com", Role.ADMIN).id();
        BillingClient admin = BillingClient.create(base, service.createApiKey(org.id(),
                NewApiKey.of(adminId, "admin")).key());
        MemberBudget budget = admin.setMemberBudget(org.member(), 1_000L, 80L);
        assertThat(budget.dailyLimitCents()).isEqualTo(80);

        Hold morning = service.placeHold(HoldRequest.of(org.id(), 60, 600).forMember(org.member()));
        assertThatThrownBy(() -> service.placeHold(HoldRequest.of(org.id(), 30, 600).forMember(org.member())))
                .isInstanceOfSatisfying(InsufficientCreditException.class,
                        e -> assertThat(e.limitedBy()).isEqualTo(LimitKind.MEMBER_DAILY));
        CreditCheck check = service.creditCheck(CreditCheckRequest.of(org.id()).withEstimatedCents(30)
                .forMember(org.member()));
        assertThat(check.limitedBy()).isEqualTo(LimitKind.MEMBER_DAILY);
        assertThat(check.limits()).extracting(Limit::kind)
                .containsExactly(LimitKind.ORG_BALANCE, LimitKind.MEMBER_DAILY, LimitKind.MEMBER_MONTHLY);
        assertThat(check.limit(LimitKind.MEMBER_DAILY).remainingCents()).isEqualTo(20);

        service.deduct(Deduction.ofCents(org.id(), 45, "agent-run").withMemberId(org.member())
                .withHoldId(morning.holdId()));
        assertThat(service.creditCheck(CreditCheckRequest.of(org.id()).withEstimatedCents(30)
                .forMember(org.member())).allowed()).as("the capture released the rest of the hold").isTrue();
    }

    @Test
    void the_reporter_delivers_events_with_their_hold_and_key_exactly_once() throws Exception {
        Org org = newOrg(10_000, 100_000L, null);
        List<Hold> holds = new ArrayList<>();
        List<Deduction> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Hold hold = hold(org, 100);
            holds.add(hold);
            events.add(Deduction.ofCents(org.id(), 10 + i, "agent-step").withMemberId(org.member())
                    .withApiKeyId(org.key()).withHoldId(hold.holdId()).withIdempotencyKey("step-" + i));
        }
        UUID unknownHold = UUID.randomUUID();
        Deduction refusable = Deduction.ofCents(org.id(), 5, "agent-step").withMemberId(org.member())
                .withApiKeyId(org.key()).withHoldId(unknownHold).withIdempotencyKey("step-unknown-hold");
        List<Rejection> refused = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = new FaultProxy(base)) {
            // The first batch is settled but its answer lost: the reporter sends it again and the server replays it.
            proxy.scriptOnly(BATCH).script(FaultProxy.Fault.DROP_AFTER_FORWARD);
            try (UsageReporter reporter = UsageReporter.builder(BillingServiceClient.create(proxy.uri(),
                    TestApplication.INTERNAL_SECRET), spool).retryBackoff(Duration.ofMillis(50), Duration.ofSeconds(1))
                    .onRejected(refused::add).build()) {
                reporter.reportAll(events);
                reporter.report(refusable);
                assertThat(reporter.flush(Duration.ofSeconds(60))).isTrue();
                ReporterMetrics metrics = reporter.metrics();
                assertThat(metrics.sent()).isEqualTo(40);
                assertThat(metrics.rejected()).isEqualTo(1);
                assertThat(metrics.replayed()).as("the batch whose answer was lost").isPositive();
            }
            assertThat(refused).singleElement().satisfies(rejection -> {
                assertThat(rejection.status()).isEqualTo(422);
                assertThat(rejection.event()).isEqualTo(refusable);
            });
            List<FaultProxy.Seen> batches = proxy.seen(BATCH);
            assertThat(batches.size()).isGreaterThanOrEqualTo(2);
            for (FaultProxy.Seen batch : batches) {
                for (JsonNode event : ClientJson.MAPPER.readTree(batch.body()).path("events")) {
                    assertThat(event.path("apiKeyId").asText()).isEqualTo(org.key().toString());
                    assertThat(event.path("holdId").asText()).isNotBlank();
                }
            }
        }
        Map<String, Integer> entries = usageEntriesPerKey(org);
        assertThat(entries).hasSize(40).allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
        long total = 0;
        for (int i = 0; i < 40; i++) {
            Hold hold = service.hold(holds.get(i).holdId());
            assertThat(hold.status()).isEqualTo(HoldStatus.CAPTURED);
            assertThat(hold.capturedCents()).isEqualTo(10 + i);
            total += 10 + i;
        }
        CreditCheck gate = gate(org);
        assertThat(gate.balanceCents()).isEqualTo(10_000 - total);
        assertThat(gate.heldCents()).isZero();
        assertThat(gate.limit(LimitKind.KEY_MONTHLY).spentCents()).isEqualTo(total);

        try (UsageReporter again = UsageReporter.create(service, spool)) {
            assertThat(again.metrics().recovered()).as("nothing left in the spool").isZero();
            again.reportAll(events);
            assertThat(again.flush(Duration.ofSeconds(60))).isTrue();
            assertThat(again.metrics().replayed()).as("reported again: replays, nothing charged twice").isEqualTo(40);
        }
        assertThat(gate(org).balanceCents()).isEqualTo(10_000 - total);
        assertThat(usageEntriesPerKey(org)).hasSize(40);
    }

    /**
     * The spool as the client wrote it before events carried {@code apiKeyId}/{@code holdId}: frames encoded here
     * byte by byte, with each event's JSON exactly as that version serialised it. A new reporter recovers, delivers
     * and settles them once; one the server refuses still reads back as an event for the rejection listener.
     */
    @Test
    void a_spool_written_before_settlements_named_keys_and_holds_is_recovered_and_delivered() throws Exception {
        Org org = newOrg(1_000, null, null);
        String model = "{\"type\":\"model\",\"orgId\":\"" + org.id() + "\",\"memberId\":\"" + org.member()
                + "\",\"model\":\"gpt-5\",\"inputTokens\":1000,\"outputTokens\":100,\"byok\":false,"
                + "\"idempotencyKey\":\"old-model-1\"}";
        String deduction = "{\"type\":\"deduction\",\"orgId\":\"" + org.id() + "\",\"amountCents\":7,"
                + "\"resource\":\"voice\",\"description\":\"voice minutes\",\"idempotencyKey\":\"old-deduction-1\"}";
        String unknownModel = "{\"type\":\"model\",\"orgId\":\"" + org.id() + "\",\"memberId\":\"" + org.member()
                + "\",\"model\":\"no-such-model\",\"inputTokens\":1,\"outputTokens\":1,\"byok\":false,"
                + "\"idempotencyKey\":\"old-model-2\"}";
        Files.write(spool.resolve("usage-spool.log"), concat(
                eventFrame(1, model), eventFrame(2, deduction), eventFrame(3, unknownModel)));

        List<Rejection> refused = new CopyOnWriteArrayList<>();
        try (UsageReporter reporter = UsageReporter.builder(service, spool).onRejected(refused::add).build()) {
            assertThat(reporter.metrics().recovered()).isEqualTo(3);
            assertThat(reporter.flush(Duration.ofSeconds(60))).isTrue();
            assertThat(reporter.metrics().sent()).isEqualTo(2);
            assertThat(reporter.metrics().rejected()).isEqualTo(1);
        }
        Map<String, Integer> entries = usageEntriesPerKey(org);
        assertThat(entries).containsOnlyKeys("old-model-1", "old-deduction-1").containsValues(1);
        assertThat(new LedgerAudit(app.database).balanceMicros(org.id()))
                .isEqualTo(1_000L * 1_000_000 - 225_000 - 7_000_000);
        assertThat(refused).singleElement().satisfies(rejection -> {
            assertThat(rejection.event()).isEqualTo(ModelUsage.of(org.id(), org.member(), "no-such-model", 1, 1)
                    .withIdempotencyKey("old-model-2"));
            assertThat(rejection.event().apiKeyId()).isNull();
            assertThat(rejection.event().holdId()).isNull();
        });
        assertThat(Rejection.eventOf(deduction)).isEqualTo(Deduction.ofCents(org.id(), 7, "voice")
                .withDescription("voice minutes").withIdempotencyKey("old-deduction-1"));
        try (UsageReporter reopened = UsageReporter.create(service, spool)) {
            assertThat(reopened.metrics().recovered()).isZero();
        }
    }

    /** {@code "USP1" | type 1 (EVENT) | payload length | CRC32C of type, length and payload | seq | json}. */
    private static byte[] eventFrame(long seq, String json) {
        byte[] text = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer payload = ByteBuffer.allocate(8 + text.length).putLong(seq).put(text);
        ByteBuffer typeAndLength = ByteBuffer.allocate(5).put((byte) 1).putInt(payload.capacity());
        CRC32C crc = new CRC32C();
        crc.update(typeAndLength.array());
        crc.update(payload.array());
        return ByteBuffer.allocate(13 + payload.capacity()).put("USP1".getBytes(StandardCharsets.US_ASCII))
                .put(typeAndLength.array()).putInt((int) crc.getValue()).put(payload.array()).array();
    }

    private static byte[] concat(byte[]... frames) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] frame : frames) {
            out.write(frame);
        }
        return out.toByteArray();
    }
}
