package io.agentbilling.core.usecase;

import io.agentbilling.core.pricing.Plan;
import static io.agentbilling.core.usecase.Refusals.assertInvalid;
import static io.agentbilling.core.usecase.Refusals.assertUnprocessable;
import static io.agentbilling.core.usecase.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.money.UnitPrice;
import io.agentbilling.core.pricing.DefaultCatalog;
import io.agentbilling.core.pricing.ModelPrice;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.core.port.VersionedPriceBook;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettleModelUsageTest {
    private final UsageFixture f = new UsageFixture();
    private final OrgId org = f.newOrg();
    private final MemberId ann = f.newMember(org);

    {
        f.topUp(org, Credits.ofCents(1_000));
    }

    private SettleModelUsage.Command call(String model, long in, long out, long cached, boolean byok, String key) {
        return SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model(model).inputTokens(in).outputTokens(out).cachedInputTokens(cached)
                .byok(byok).referenceId("req-1").idempotencyKey(key).build();
    }

    @Test
    void a_platform_call_is_charged_its_token_price_and_the_balance_moves_by_exactly_that() {
        SettlementResult result = f.settleModel.execute(call("gpt-5", 1_000, 200, 3, false, "k1"));

        Credits charge = Credits.ofMicros(125_000 + 200_000 + 38);
        assertThat(result.charged()).isEqualTo(charge);
        assertThat(result.chargedMicros()).isEqualTo(325_038);
        assertThat(result.replayed()).isFalse();
        assertThat(result.balanceAfter()).isEqualTo(Credits.ofCents(1_000).minus(charge));
        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(1_000).minus(charge));
        LedgerEntry entry = f.entries(org).get(0);
        assertThat(entry.id()).isEqualTo(result.entryId());
        assertThat(entry.type()).isEqualTo(EntryType.USAGE);
        assertThat(entry.amount()).isEqualTo(charge.negate());
        assertThat(entry.resource()).isEqualTo("model");
        assertThat(entry.referenceId()).isEqualTo("req-1");
        assertThat(entry.memberId()).isEqualTo(ann);
    }

    @Test
    void the_call_is_rolled_up_as_model_usage_of_its_member() {
        f.settleModel.execute(call("gpt-5", 1_000, 200, 3, false, "k1"));
        f.settleModel.execute(call("gpt-5", 10, 20, 0, false, "k2"));

        assertThat(f.usage(org, ann)).containsExactly(UsageAmounts.model(ann, "gpt-5", false, 1_000, 200, 3,
                Credits.ofMicros(325_038)).plus(UsageAmounts.model(ann, "gpt-5", false, 10, 20, 0,
                Credits.ofMicros(1_250 + 20_000))));
    }

    @Test
    void replaying_a_key_returns_the_original_result_and_charges_nothing_more() {
        SettlementResult first = f.settleModel.execute(call("gpt-5", 1_000, 200, 3, false, "k1"));
        f.settleModel.execute(call("gpt-5", 1, 1, 0, false, "k2"));
        SettlementResult replay = f.settleModel.execute(call("gpt-5", 1_000, 200, 3, false, "k1"));

        assertThat(replay)
                .isEqualTo(new SettlementResult(first.charged(), first.entryId(), first.balanceAfter(), true));
        assertThat(f.entries(org)).hasSize(3); // top-up + two calls
        assertThat(f.usage(org, ann).get(0).count()).isEqualTo(2);
    }

    @Test
    void replaying_a_key_with_other_tokens_is_an_idempotency_conflict() {
        f.settleModel.execute(call("gpt-5", 1_000, 200, 3, false, "k1"));
        Credits balance = f.balance(org);
        assertRefused(() -> f.settleModel.execute(call("gpt-5", 1_001, 200, 3, false, "k1")),
                BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.balance(org)).isEqualTo(balance);
    }

    @Test
    void token_counts_past_a_trillion_are_refused_even_for_byok_and_nothing_is_recorded() {
        assertInvalid(() -> f.settleModel.execute(call("gpt-5", Long.MAX_VALUE, 0, 0, true, "k1")), "inputTokens");
        assertInvalid(() -> f.settleModel.execute(call("gpt-5", 1, 1_000_000_000_001L, 0, true, "k2")), "outputTokens");
        assertInvalid(() -> f.settleModel.execute(call("gpt-5", 1, 0, 1_000_000_000_001L, false, "k3")),
                "cachedInputTokens");
        assertThat(f.usage(org, ann)).isEmpty();
        assertThat(f.settleModel.execute(call("gpt-5", 1_000_000_000_000L, 0, 0, true, "k4")).charged())
                .isEqualTo(Credits.ZERO);
    }

    @Test
    void a_byok_call_is_recorded_as_usage_and_charged_nothing() {
        SettlementResult result = f.settleModel.execute(call("my-finetune", 500, 500, 0, true, "k1"));

        assertThat(result.charged()).isEqualTo(Credits.ZERO);
        assertThat(result.entryId()).isNull();
        assertThat(result.balanceAfter()).isEqualTo(Credits.ofCents(1_000));
        assertThat(f.entries(org)).hasSize(1);
        assertThat(f.usage(org, ann)).singleElement().satisfies(u -> {
            assertThat(u.byok()).isTrue();
            assertThat(u.inputTokens()).isEqualTo(500);
            assertThat(u.cost()).isEqualTo(Credits.ZERO);
        });
        assertThat(f.settleModel.execute(call("my-finetune", 500, 500, 0, true, "k1")).replayed()).isTrue();
    }

    @Test
    void an_unknown_platform_model_is_refused_and_nothing_is_recorded() {
        assertRefused(() -> f.settleModel.execute(call("gpt-17", 1, 1, 0, false, "k1")), BillingError.UNKNOWN_MODEL);
        assertThat(f.usage(org, ann)).isEmpty();
    }

    @Test
    void an_unknown_platform_model_is_charged_the_default_price_when_the_catalog_has_one() {
        PriceCatalog base = DefaultCatalog.create();
        PriceCatalog withDefault = PriceCatalog.builder("d", base.effectiveFrom())
                .defaultModel(ModelPrice.centsPerMillion("1", "2", "0"))
                .storagePerGiBMonth(UnitPrice.FREE).toolExecution(UnitPrice.FREE).plan(base.plans().get(Plan.DEFAULT_CODE)).build();
        SettlementPricer pricer = new SettlementPricer(new VersionedPriceBook(List.of(withDefault), f.clock), f.clock);
        SettlementResult result = new SettleModelUsage(pricer, f.writer).execute(call("gpt-17", 10, 10, 0, false, "k"));
        assertThat(result.charged()).isEqualTo(Credits.ofMicros(30));
    }

    @Test
    void the_call_is_priced_with_the_catalog_in_force_when_it_happened() {
        f.clock.set(UsageFixture.V2_FROM.plus(Duration.ofDays(1)));
        Instant justBefore = UsageFixture.V2_FROM.minusNanos(1);
        SettlementResult old = f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1_000).occurredAt(justBefore)
                .idempotencyKey("old").build());
        SettlementResult now = f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1_000).occurredAt(UsageFixture.V2_FROM)
                .idempotencyKey("new").build());
        SettlementResult defaulted = f.settleModel.execute(call("gpt-5", 1_000, 0, 0, false, "default"));
        assertThat(old.charged()).isEqualTo(Credits.ofMicros(125_000));
        assertThat(now.charged()).isEqualTo(Credits.ofMicros(250_000));
        assertThat(defaulted.charged()).isEqualTo(Credits.ofMicros(250_000));
    }

    @Test
    void a_call_from_the_future_beyond_the_clock_skew_is_unprocessable() {
        Instant tooLate = UsageFixture.START.plus(Duration.ofMinutes(5)).plusSeconds(1);
        assertUnprocessable(() -> f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1).occurredAt(tooLate).idempotencyKey("k")
                .build()), "occurredAt");
        SettlementResult skewed = f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1)
                .occurredAt(UsageFixture.START.plus(Duration.ofMinutes(5))).idempotencyKey("k").build());
        assertThat(skewed.charged()).isEqualTo(Credits.ofMicros(125));
    }

    @Test
    void usage_is_settled_even_when_it_drives_the_balance_negative() {
        SettlementResult result = f.settleModel.execute(call("claude-sonnet-4-5", 0, 1_000_000, 0, false, "k"));
        assertThat(result.balanceAfter()).isEqualTo(Credits.ofCents(1_000 - 1_500));
    }

    @Test
    void an_unknown_org_is_not_found() {
        OrgId nowhere = OrgId.random();
        assertRefused(() -> f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(nowhere).memberId(ann).model("gpt-5").inputTokens(1).outputTokens(1).idempotencyKey("k")
                .build()), BillingError.NOT_FOUND);
    }

    @Test
    void a_member_of_another_org_is_refused() {
        OrgId other = f.newOrg();
        MemberId stranger = f.newMember(other);
        assertRefused(() -> f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(stranger).model("gpt-5").inputTokens(1).outputTokens(1).idempotencyKey("k")
                .build()), BillingError.UNPROCESSABLE);
        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(1_000));
    }

    @Test
    void malformed_calls_are_bad_requests_naming_the_field() {
        assertInvalid(() -> f.settleModel.execute(call("gpt-5", -1, 1, 0, false, "k")), "inputTokens");
        assertInvalid(() -> f.settleModel.execute(call("gpt-5", 1, -1, 0, false, "k")), "outputTokens");
        assertInvalid(() -> f.settleModel.execute(call("gpt-5", 1, 1, -1, false, "k")), "cachedInputTokens");
        assertInvalid(() -> f.settleModel.execute(call("gpt-5", 0, 0, 0, false, "k")), "inputTokens");
        assertInvalid(() -> f.settleModel.execute(call(" ", 1, 1, 0, false, "k")), "model");
        assertInvalid(() -> f.settleModel.execute(call("m".repeat(201), 1, 1, 0, false, "k")), "model");
        assertInvalid(() -> f.settleModel.execute(call("gpt-5", 1, 1, 0, false, "")), "idempotencyKey");
        assertInvalid(() -> f.settleModel.execute(call("gpt-5", 1, 1, 0, false, "k".repeat(256))), "idempotencyKey");
        assertInvalid(() -> f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1).outputTokens(1).referenceId("r".repeat(256))
                .idempotencyKey("k").build()), "referenceId");
        assertInvalid(() -> f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).model("gpt-5").inputTokens(1).outputTokens(1).idempotencyKey("k").build()), "memberId");
        // The limits themselves are fine.
        f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("m".repeat(200)).inputTokens(1).outputTokens(1).byok(true)
                .referenceId("r".repeat(255)).idempotencyKey("k".repeat(255)).build());
    }

    @Test
    void a_call_before_the_org_existed_is_unprocessable_so_that_every_charge_is_reported() {
        Instant beforeOrg = UsageFixture.START.minusSeconds(1);
        assertUnprocessable(() -> f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1)
                .occurredAt(Instant.parse("1970-01-01T00:00:00Z")).idempotencyKey("k1").build()), "occurredAt");
        assertUnprocessable(() -> f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1).occurredAt(beforeOrg).idempotencyKey("k2")
                .build()), "occurredAt");
        assertUnprocessable(() -> f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1)
                .occurredAt(Instant.parse("0000-06-01T00:00:00Z")).idempotencyKey("k3").build()), "occurredAt");
        assertThat(f.entries(org)).extracting(e -> e.type().wireName()).containsExactly("topup");
        SettlementResult atCreation = f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1).occurredAt(UsageFixture.START)
                .idempotencyKey("k4").build());
        assertThat(atCreation.charged()).isEqualTo(Credits.ofMicros(125));
    }

    @Test
    void a_call_older_than_the_window_is_unprocessable() {
        f.advance(Duration.ofDays(40));
        Instant oldest = f.clock.instant().minus(Duration.ofDays(35));
        assertUnprocessable(() -> f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1).occurredAt(oldest.minusSeconds(1))
                .idempotencyKey("k1").build()), "occurredAt");
        assertThat(f.settleModel.execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(ann).model("gpt-5").inputTokens(1).occurredAt(oldest).idempotencyKey("k2")
                .build()).charged()).isEqualTo(Credits.ofMicros(125));
    }
}
