package io.agentbilling.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.client.billing.ApiKeyCap;
import io.agentbilling.client.service.Adjustment;
import io.agentbilling.client.service.ApiKey;
import io.agentbilling.client.service.BatchItem;
import io.agentbilling.client.service.Charge;
import io.agentbilling.client.service.CreateOrg;
import io.agentbilling.client.service.CreatedApiKey;
import io.agentbilling.client.service.CreditCheck;
import io.agentbilling.client.service.CreditCheckRequest;
import io.agentbilling.client.service.Deduction;
import io.agentbilling.client.service.DeductionResult;
import io.agentbilling.client.service.Entry;
import io.agentbilling.client.service.Grant;
import io.agentbilling.client.service.Hold;
import io.agentbilling.client.service.HoldRequest;
import io.agentbilling.client.service.HoldStatus;
import io.agentbilling.client.service.LedgerReport;
import io.agentbilling.client.service.LimitKind;
import io.agentbilling.client.service.Member;
import io.agentbilling.client.service.ModelUsage;
import io.agentbilling.client.service.NewApiKey;
import io.agentbilling.client.service.Org;
import io.agentbilling.client.service.Pricing;
import io.agentbilling.client.service.ResourceCharge;
import io.agentbilling.client.service.Role;
import io.agentbilling.client.service.SandboxMeter;
import io.agentbilling.client.service.SandboxQuote;
import io.agentbilling.client.service.SandboxSettle;
import io.agentbilling.client.service.SandboxSettlement;
import io.agentbilling.client.service.SandboxStart;
import io.agentbilling.client.service.StorageQuota;
import io.agentbilling.client.service.StorageUsage;
import io.agentbilling.client.service.ToolExecution;
import io.agentbilling.client.service.UsageEvent;
import io.agentbilling.http.support.TestApplication;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every call of {@link BillingServiceClient} against the real server (as {@code main} builds it) on a real
 * PostgreSQL: the answers it parses, the keys it sends, the typed errors it throws.
 */
class ServiceClientTest {
    /** gpt-5 at 125 and 1 000 cents per million tokens: 1 000 input and 100 output tokens cost 225 000 micros. */
    private static final long CALL_MICROS = 225_000;

    private static TestApplication app;
    private static FaultProxy proxy;
    private static BillingServiceClient service;

    @BeforeAll
    static void start() {
        app = new TestApplication();
        proxy = new FaultProxy(URI.create("http://127.0.0.1:" + app.app.port()));
        service = BillingServiceClient.create(proxy.uri(), TestApplication.INTERNAL_SECRET);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            RouteCoverage.assertEveryRouteCalled(URI.create("http://127.0.0.1:" + app.app.port()), "/v1/internal/",
                    java.util.Set.of(), proxy.seen());
        } finally {
            proxy.close();
            app.close();
        }
    }

    /** An org created a day ago, so that usage the tests report a little in the past does not precede it. */
    private static Org newOrg(long grantCents) {
        Org org = service.createOrg(CreateOrg.of("Client org").withPlan("pro").withSignupGrantCents(grantCents));
        app.backdate(io.agentbilling.core.access.OrgId.of(org.id().toString()), java.time.Duration.ofDays(1));
        return org;
    }

    @Test
    void creates_an_org_and_a_retried_creation_with_its_key_returns_the_same_org() {
        Org org = service.createOrg(CreateOrg.of("Acme").withSignupGrantCents(700).withIdempotencyKey("acme-1"));
        assertThat(org.name()).isEqualTo("Acme");
        assertThat(org.plan()).isEqualTo("free");
        assertThat(org.signupGrantCents()).isEqualTo(700);
        assertThat(org.balanceCents()).isEqualTo(700);
        assertThat(org.replayed()).isFalse();

        Org again = service.createOrg(CreateOrg.of("Acme").withSignupGrantCents(700).withIdempotencyKey("acme-1"));
        assertThat(again.id()).isEqualTo(org.id());
        assertThat(again.replayed()).isTrue();

        Org other = service.createOrg(CreateOrg.of("Acme").withSignupGrantCents(700));
        assertThat(other.id()).as("without a key of its own, each call is its own creation").isNotEqualTo(org.id());
    }

    @Test
    void adds_members_creates_and_revokes_api_keys() {
        Org org = newOrg(0);
        Member admin = service.addMember(org.id(), "admin@example.com", Role.ADMIN);
        assertThat(admin.orgId()).isEqualTo(org.id());
        assertThat(admin.role()).isEqualTo("admin");
        assertThat(admin.email()).isEqualTo("admin@example.com");
        Member anonymous = service.addMember(org.id(), null, Role.MEMBER);
        assertThat(anonymous.email()).isNull();
        assertThat(anonymous.role()).isEqualTo("member");

        Instant expires = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        CreatedApiKey key = service.createApiKey(org.id(), NewApiKey.of(admin.id(), "ci").withTest(true)
                .withExpiresAt(expires));
        assertThat(key.key()).startsWith("rt_test_");
        assertThat(key.toString()).doesNotContain(key.key());
        assertThat(key.expiresAt()).isEqualTo(expires);
        assertThat(key.memberId()).isEqualTo(admin.id());

        ApiKey revoked = service.revokeApiKey(org.id(), key.id());
        assertThat(revoked.revokedAt()).isNotNull();
        assertThat(service.revokeApiKey(org.id(), key.id()).revokedAt()).isEqualTo(revoked.revokedAt());

        assertThatThrownBy(() -> service.revokeApiKey(org.id(), UUID.randomUUID()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.code()).isEqualTo("not_found");
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.requestId()).startsWith("req_");
                });
        assertThatThrownBy(() -> service.createApiKey(org.id(), NewApiKey.of(UUID.randomUUID(), "stranger")))
                .isInstanceOf(UnprocessableException.class);
    }

    @Test
    void grants_and_adjusts_credit_and_replays_a_repeated_key() {
        Org org = newOrg(0);
        Entry grant = service.grantCredit(org.id(), Grant.of(1_000).withDescription("welcome")
                .withIdempotencyKey("grant-1"));
        assertThat(grant.type()).isEqualTo("grant");
        assertThat(grant.amountCents()).isEqualTo(1_000);
        assertThat(grant.description()).isEqualTo("welcome");
        assertThat(grant.balanceAfterCents()).isEqualTo(1_000);
        assertThat(grant.replayed()).isFalse();
        Entry again = service.grantCredit(org.id(), Grant.of(1_000).withDescription("welcome")
                .withIdempotencyKey("grant-1"));
        assertThat(again.replayed()).isTrue();
        assertThat(again.id()).isEqualTo(grant.id());

        Entry expiring = service.grantCredit(org.id(), Grant.of(50).withExpiresAt(Instant.now().plus(1,
                ChronoUnit.DAYS)));
        assertThat(expiring.balanceAfterCents()).isEqualTo(1_050);

        Entry adjustment = service.adjustCredit(org.id(), Adjustment.of(-300, "goodwill reversed"));
        assertThat(adjustment.type()).isEqualTo("adjustment");
        assertThat(adjustment.amountCents()).isEqualTo(-300);
        assertThat(adjustment.description()).isEqualTo("goodwill reversed");
        assertThat(adjustment.balanceAfterCents()).isEqualTo(750);

        assertThatThrownBy(() -> service.grantCredit(org.id(), Grant.of(2_000).withIdempotencyKey("grant-1")))
                .isInstanceOfSatisfying(ConflictException.class, e -> {
                    assertThat(e.isIdempotencyConflict()).isTrue();
                    assertThat(e.idempotencyKey()).isEqualTo("grant-1");
                    assertThat(e.attempts()).as("a 409 is never retried").isEqualTo(1);
                });
        assertThatThrownBy(() -> service.grantCredit(UUID.randomUUID(), Grant.of(10)))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void gates_answer_for_the_balance_and_the_plan_quota() {
        Org org = newOrg(100);
        CreditCheck plain = service.creditCheck(org.id());
        assertThat(plain.allowed()).isTrue();
        assertThat(plain.balanceCents()).isEqualTo(100);
        assertThat(plain.reason()).isNull();
        CreditCheck tooMuch = service.creditCheck(org.id(), 500);
        assertThat(tooMuch.allowed()).isFalse();
        assertThat(tooMuch.reason()).isEqualTo("insufficient_credits");
        assertThat(tooMuch.availableCents()).isEqualTo(100);

        StorageQuota fits = service.storageQuota(org.id(), "ws-1", 1_000, 1_000);
        assertThat(fits.allowed()).isTrue();
        assertThat(fits.remainingBytes()).isEqualTo(fits.quotaBytes() - 1_000);
        StorageQuota over = service.storageQuota(org.id(), "ws-1", fits.quotaBytes(), 1);
        assertThat(over.allowed()).isFalse();
        assertThat(over.reason()).isEqualTo("storage_quota_exceeded");

        assertThatThrownBy(() -> service.creditCheck(UUID.randomUUID())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void key_caps_set_at_creation_and_later_limit_the_gate_with_what_remains_under_each_limit() {
        Org org = newOrg(1_000);
        Member member = service.addMember(org.id(), "agent-owner@example.com", Role.MEMBER);
        CreatedApiKey key = service.createApiKey(org.id(), NewApiKey.of(member.id(), "agent").withCaps(300L, null));
        CreditCheck capped = service.creditCheck(CreditCheckRequest.of(org.id()).withEstimatedCents(400)
                .forMember(member.id()).throughKey(key.id()));
        assertThat(capped.allowed()).isFalse();
        assertThat(capped.limitedBy()).isEqualTo(LimitKind.KEY_MONTHLY);
        assertThat(capped.reason()).isEqualTo("spend_limit_reached");
        assertThat(capped.limit(LimitKind.ORG_BALANCE).remainingCents()).isEqualTo(1_000);
        assertThat(capped.limit(LimitKind.KEY_MONTHLY).remainingCents()).isEqualTo(300);
        assertThat(capped.limit(LimitKind.KEY_LIFETIME)).isNull();

        ApiKeyCap cap = service.setApiKeyCap(org.id(), key.id(), null, 2_000L);
        assertThat(cap.keyId()).isEqualTo(key.id());
        assertThat(cap.monthlyCapCents()).isNull();
        assertThat(cap.lifetimeCapCents()).isEqualTo(2_000);
        assertThat(cap.remainingLifetimeCents()).isEqualTo(2_000);
        CreditCheck admitted = service.creditCheck(CreditCheckRequest.of(org.id()).withEstimatedCents(400)
                .throughKey(key.id()));
        assertThat(admitted.allowed()).isTrue();
        assertThat(admitted.limitedBy()).isNull();
        assertThat(admitted.heldCents()).isZero();
        assertThat(admitted.limits()).extracting(io.agentbilling.client.service.Limit::kind)
                .containsExactly(LimitKind.ORG_BALANCE, LimitKind.KEY_LIFETIME);

        assertThatThrownBy(() -> service.setApiKeyCap(org.id(), UUID.randomUUID(), 1L, null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.setApiKeyCap(org.id(), key.id(), -1L, null))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> service.creditCheck(CreditCheckRequest.of(org.id()).forMember(UUID.randomUUID())))
                .isInstanceOf(UnprocessableException.class);
    }

    @Test
    void holds_are_placed_once_per_key_refused_past_a_limit_read_and_released() {
        Org org = newOrg(500);
        Member member = service.addMember(org.id(), null, Role.MEMBER);
        Hold hold = service.placeHold(HoldRequest.of(org.id(), 300, 600).forMember(member.id())
                .withIdempotencyKey("agent-run-1"));
        assertThat(hold.status()).isEqualTo(HoldStatus.ACTIVE);
        assertThat(hold.amountCents()).isEqualTo(300);
        assertThat(hold.memberId()).isEqualTo(member.id());
        assertThat(service.placeHold(HoldRequest.of(org.id(), 300, 600).forMember(member.id())
                .withIdempotencyKey("agent-run-1")).holdId()).isEqualTo(hold.holdId());
        assertThat(service.creditCheck(org.id()).availableCents()).isEqualTo(200);

        assertThatThrownBy(() -> service.placeHold(HoldRequest.of(org.id(), 201, 600)))
                .isInstanceOfSatisfying(InsufficientCreditException.class, e -> {
                    assertThat(e.status()).isEqualTo(402);
                    assertThat(e.code()).isEqualTo("insufficient_credit");
                    assertThat(e.limitedBy()).isEqualTo(LimitKind.ORG_BALANCE);
                });
        assertThat(service.hold(hold.holdId())).isEqualTo(hold);
        Hold released = service.releaseHold(hold.holdId());
        assertThat(released.status()).isEqualTo(HoldStatus.RELEASED);
        assertThat(service.releaseHold(hold.holdId())).isEqualTo(released);
        assertThat(service.creditCheck(org.id()).availableCents()).isEqualTo(500);
        assertThatThrownBy(() -> service.hold(UUID.randomUUID())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void reads_the_price_catalog_with_exact_decimals() {
        Pricing pricing = service.pricing();
        assertThat(pricing.version()).isNotBlank();
        assertThat(pricing.models().get("gpt-5").inputCentsPerMillion()).isEqualByComparingTo("125");
        assertThat(pricing.models().get("gpt-5").cachedInputCentsPerMillion()).isEqualByComparingTo("12.5");
        assertThat(pricing.sandboxes().get("small").pricePerSecondMicros()).isEqualByComparingTo("1400");
        assertThat(pricing.tools().overrides()).containsKey("web_search");
        assertThat(pricing.resources().get("code_exec").unit()).isEqualTo("seconds");
        assertThat(pricing.plans()).extracting(Pricing.PlanInfo::code).contains("free", "pro");
    }

    @Test
    void settles_each_kind_of_usage_and_replays_a_retried_key() {
        Org org = newOrg(1_000);
        UUID member = service.addMember(org.id(), null, Role.MEMBER).id();

        ModelUsage call = ModelUsage.of(org.id(), member, "gpt-5", 1_000, 100).withReferenceId("call-1")
                .withOccurredAt(Instant.now().minusSeconds(5)).withIdempotencyKey("model-1");
        Charge model = service.settleModelUsage(call);
        assertThat(model.chargedMicros()).isEqualTo(CALL_MICROS);
        assertThat(model.entryId()).isNotNull();
        assertThat(model.replayed()).isFalse();
        Charge replay = service.settleModelUsage(call);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.entryId()).isEqualTo(model.entryId());
        assertThat(replay.balanceMicros()).isEqualTo(model.balanceMicros());

        Charge byok = service.settleModelUsage(ModelUsage.of(org.id(), member, "my-own-model", 10, 10)
                .withByok(true).withCachedInputTokens(5));
        assertThat(byok.chargedMicros()).isZero();
        assertThat(byok.entryId()).isNull();

        Charge tool = service.settleToolExecution(ToolExecution.of(org.id(), member, "web_search").withCount(2)
                .withReferenceId("search-1"));
        assertThat(tool.chargedMicros()).isEqualTo(2_000_000);

        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Charge storage = service.settleStorageUsage(StorageUsage.of(org.id(), "ws-1", 1L << 30, to.minusSeconds(3_600),
                to).withMemberId(member));
        assertThat(storage.chargedMicros()).isPositive();

        Charge codeExec = service.settleResourceCharge(ResourceCharge.of(org.id(), "code_exec", 30, "seconds")
                .withMemberId(member).withDescription("sandboxed python").withReferenceId("run-1"));
        assertThat(codeExec.chargedMicros()).isEqualTo(60_000);
        Charge priced = service.settleResourceCharge(ResourceCharge.of(org.id(), "gpu", 1, "hours")
                .withAmountCents(40));
        assertThat(priced.chargedCents()).isEqualTo(40);

        DeductionResult cents = service.deduct(Deduction.ofCents(org.id(), 3, "voice").withMemberId(member)
                .withDescription("voice minutes").withReferenceId("v-1"));
        assertThat(cents.amountCents()).isEqualTo(-3);
        assertThat(cents.type()).isEqualTo("usage");
        assertThat(cents.description()).isEqualTo("voice minutes");
        assertThat(cents.memberId()).isEqualTo(member);
        DeductionResult micros = service.deduct(Deduction.ofMicros(org.id(), 2_500, "voice")
                .withIdempotencyKey("v-2"));
        assertThat(micros.amountMicros()).isEqualTo(-2_500);
        assertThat(micros.referenceId()).isEmpty();
        DeductionResult microsAgain = service.deduct(Deduction.ofMicros(org.id(), 2_500, "voice")
                .withIdempotencyKey("v-2"));
        assertThat(microsAgain.replayed()).isTrue();
        assertThat(microsAgain.id()).isEqualTo(micros.id());

        Charge generic = service.settle(Deduction.ofCents(org.id(), 1, "voice").withIdempotencyKey("v-3"));
        assertThat(generic.chargedCents()).isEqualTo(1);
        assertThat(service.settle(ToolExecution.of(org.id(), member, "browser")).chargedMicros()).isEqualTo(500_000);

        long expected = 1_000L * 1_000_000 - CALL_MICROS - 2_000_000 - storage.chargedMicros() - 60_000
                - 40_000_000 - 3_000_000 - 2_500 - 1_000_000 - 500_000;
        assertThat(service.creditCheck(org.id()).balanceCents()).isEqualTo(Math.floorDiv(expected, 1_000_000));
    }

    @Test
    void refusals_are_typed_and_carry_code_status_request_id_and_details() {
        Org org = newOrg(0);
        UUID member = service.addMember(org.id(), null, Role.MEMBER).id();
        assertThatThrownBy(() -> service.settleModelUsage(ModelUsage.of(org.id(), member, "no-such-model", 1, 1)))
                .isInstanceOfSatisfying(UnprocessableException.class, e -> {
                    assertThat(e.code()).isEqualTo("unknown_model");
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.requestId()).startsWith("req_");
                    assertThat(e.idempotencyKey()).as("the generated key is reported").isNotBlank();
                    assertThat(e.outcomeUnknown()).isFalse();
                });
        assertThatThrownBy(() -> service.settleModelUsage(ModelUsage.of(org.id(), member, "gpt-5", -1, 1)))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> {
                    assertThat(e.code()).isEqualTo("bad_request");
                    assertThat(e.details()).extracting(FieldIssue::field).contains("inputTokens");
                    assertThat(e.attempts()).isEqualTo(1);
                });
        service.settleModelUsage(ModelUsage.of(org.id(), member, "gpt-5", 1, 1).withIdempotencyKey("same"));
        assertThatThrownBy(() -> service.settleModelUsage(ModelUsage.of(org.id(), member, "gpt-5", 2, 1)
                .withIdempotencyKey("same")))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.isIdempotencyConflict()).isTrue());

        BillingServiceClient wrongSecret = BillingServiceClient.create(URI.create("http://127.0.0.1:"
                + app.app.port()), "not-the-secret");
        assertThatThrownBy(() -> wrongSecret.creditCheck(org.id()))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_token");
                    assertThat(e.status()).isEqualTo(401);
                });
    }

    @Test
    void a_batch_settles_mixed_events_and_isolates_the_refused_ones() {
        Org org = newOrg(100);
        UUID member = service.addMember(org.id(), null, Role.MEMBER).id();
        List<UsageEvent> events = List.of(
                ModelUsage.of(org.id(), member, "gpt-5", 1_000, 100).withIdempotencyKey("b-1"),
                ToolExecution.of(org.id(), member, "web_search").withIdempotencyKey("b-2"),
                ModelUsage.of(org.id(), member, "no-such-model", 1, 1).withIdempotencyKey("b-3"),
                Deduction.ofMicros(org.id(), 2_500, "voice"),
                ResourceCharge.of(org.id(), "code_exec", 10, "seconds").withIdempotencyKey("b-5"),
                StorageUsage.of(org.id(), "ws", 1_000, Instant.now().minusSeconds(60), Instant.now().minusSeconds(1))
                        .withIdempotencyKey("b-6"),
                ModelUsage.of(UUID.randomUUID(), member, "gpt-5", 1, 1).withIdempotencyKey("b-7"),
                ModelUsage.of(org.id(), member, "gpt-5", 1_000, 100).withIdempotencyKey("b-1"));

        List<BatchItem> items = service.settleBatch(events);

        assertThat(items).extracting(BatchItem::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(items).extracting(BatchItem::status).containsExactly(200, 200, 422, 200, 200, 200, 404, 200);
        assertThat(items.get(0).result().chargedMicros()).isEqualTo(CALL_MICROS);
        assertThat(items.get(0).result().replayed()).isFalse();
        assertThat(items.get(7).result().replayed()).as("a key repeated in the batch replays").isTrue();
        assertThat(items.get(2).error().code()).isEqualTo("unknown_model");
        assertThat(items.get(2).result()).isNull();
        assertThat(items.get(2).settled()).isFalse();
        assertThat(items.get(6).error().code()).isEqualTo("not_found");

        List<BatchItem> again = service.settleBatch(events.subList(0, 2));
        assertThat(again).allSatisfy(item -> assertThat(item.result().replayed()).isTrue());

        assertThatThrownBy(() -> service.settleBatch(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_sandbox_meter_is_quoted_started_kept_alive_and_settled() {
        Org org = newOrg(1_000);
        UUID member = service.addMember(org.id(), null, Role.MEMBER).id();
        SandboxQuote price = service.quoteSandbox(org.id(), "small");
        assertThat(price.pricePerSecondMicros()).isEqualByComparingTo(new BigDecimal("1400"));
        assertThat(price.allowed()).isTrue();
        assertThat(price.affordableSeconds()).isEqualTo(1_000L * 1_000_000 / 1_400);
        SandboxQuote hour = service.quoteSandbox(org.id(), "small", 3_600);
        assertThat(hour.costMicros()).isEqualTo(3_600L * 1_400);

        String sandbox = "sb " + UUID.randomUUID() + "/ä";
        Instant started = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        SandboxMeter meter = service.startSandbox(sandbox, SandboxStart.of(org.id(), member, "small")
                .withStartedAt(started).withIdempotencyKey("start-1"));
        assertThat(meter.sandboxId()).isEqualTo(sandbox);
        assertThat(meter.status()).isEqualTo("active");
        assertThat(meter.startedAt()).isEqualTo(started);
        assertThat(meter.replayed()).isFalse();
        assertThat(service.startSandbox(sandbox, SandboxStart.of(org.id(), member, "small").withStartedAt(started))
                .replayed()).as("the same start again, under any key").isTrue();

        assertThat(service.heartbeatSandbox(sandbox).lastHeartbeatAt()).isAfterOrEqualTo(started);
        assertThat(service.heartbeatSandbox(sandbox, Instant.now().minusSeconds(1)).status()).isEqualTo("active");

        SandboxSettlement first = service.settleSandbox(sandbox, SandboxSettle.of(60, false)
                .withIdempotencyKey("settle-1"));
        assertThat(first.chargedMicros()).isEqualTo(60L * 1_400);
        assertThat(first.settledSeconds()).isEqualTo(60);
        SandboxSettlement last = service.settleSandbox(sandbox, SandboxSettle.of(50, true).withForgivenSeconds(10));
        assertThat(last.status()).isEqualTo("settled");
        assertThat(last.forgivenSeconds()).isEqualTo(10);
        assertThat(service.settleSandbox(sandbox, SandboxSettle.of(60, false).withIdempotencyKey("settle-1"))
                .replayed()).isTrue();

        assertThatThrownBy(() -> service.heartbeatSandbox(sandbox)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> service.heartbeatSandbox("no-such-sandbox")).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> service.quoteSandbox(org.id(), "huge")).isInstanceOf(UnprocessableException.class);
    }

    @Test
    void the_ledger_verifier_reports_a_clean_ledger() {
        LedgerReport report = service.verifyLedger();
        assertThat(report.clean()).isTrue();
        assertThat(report.drifts()).isEmpty();
        assertThat(report.orgsChecked()).isPositive();
    }
}
