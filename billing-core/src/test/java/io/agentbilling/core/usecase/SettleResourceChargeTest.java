package io.agentbilling.core.usecase;

import static io.agentbilling.core.usecase.Refusals.assertInvalid;
import static io.agentbilling.core.usecase.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import org.junit.jupiter.api.Test;

class SettleResourceChargeTest {
    private final UsageFixture f = new UsageFixture();
    private final OrgId org = f.newOrg();
    private final MemberId ann = f.newMember(org);

    private SettleResourceCharge.Command charge(String resource, long quantity, String unit, Long amountMicros,
                                                String key) {
        SettleResourceCharge.Command.Builder command = SettleResourceCharge.Command.builder()
                .orgId(org).memberId(ann).resource(resource).quantity(quantity).unit(unit)
                .referenceId("run-1").idempotencyKey(key);
        if (amountMicros != null) {
            command.amountMicros(amountMicros);
        }
        return command.build();
    }

    @Test
    void a_catalog_resource_is_priced_per_its_unit_and_rolled_up_by_resource_and_unit() {
        SettlementResult result = f.settleResource.execute(charge("code_exec", 10, "seconds", null, "k"));
        assertThat(result.charged()).isEqualTo(Credits.ofMicros(20_000));
        assertThat(f.entries(org).get(0).resource()).isEqualTo("code_exec");
        assertThat(f.entries(org).get(0).description()).isEqualTo("code_exec: 10 seconds");
        assertThat(f.usage(org, ann)).containsExactly(UsageAmounts.resource(ann, "code_exec", "seconds", 10,
                Credits.ofMicros(20_000)));
    }

    @Test
    void an_explicit_amount_wins_and_needs_no_catalog_price() {
        SettlementResult result = f.settleResource.execute(charge("gpu", 3, "minutes", 1_234L, "k"));
        assertThat(result.charged()).isEqualTo(Credits.ofMicros(1_234));
        assertThat(f.balance(org)).isEqualTo(Credits.ofMicros(-1_234));
    }

    @Test
    void a_huge_quantity_is_a_bad_request_and_a_charge_past_a_billion_dollars_is_unprocessable() {
        assertInvalid(() -> f.settleResource.execute(charge("code_exec", 1_000_000_000_000_001L, "seconds", null, "k1")),
                "quantity");
        // 10^15 seconds at 2000 micros each is 2 * 10^18 micros: more than one settlement may charge.
        assertRefused(() -> f.settleResource.execute(charge("code_exec", 1_000_000_000_000_000L, "seconds", null, "k2")),
                BillingError.UNPROCESSABLE);
        assertThat(f.balance(org)).isEqualTo(Credits.ZERO);
    }

    @Test
    void without_an_amount_an_unknown_resource_or_unit_is_unprocessable() {
        assertRefused(() -> f.settleResource.execute(charge("gpu", 3, "minutes", null, "k")),
                BillingError.UNPROCESSABLE);
        assertRefused(() -> f.settleResource.execute(charge("code_exec", 3, "minutes", null, "k")),
                BillingError.UNPROCESSABLE);
        assertThat(f.entries(org)).isEmpty();
    }

    @Test
    void quantities_must_be_meaningful() {
        assertInvalid(() -> f.settleResource.execute(charge("code_exec", 0, "seconds", null, "k")), "quantity");
        assertInvalid(() -> f.settleResource.execute(charge("code_exec", -1, "seconds", null, "k")), "quantity");
        assertInvalid(() -> f.settleResource.execute(charge("code_exec", 1, "seconds", -5L, "k")), "amountMicros");
        assertInvalid(() -> f.settleResource.execute(charge("code_exec", 1, " ", null, "k")), "unit");
        assertThat(f.settleResource.execute(charge("flat_fee", 0, "each", 500L, "k")).charged())
                .isEqualTo(Credits.ofMicros(500));
    }

    @Test
    void a_replay_is_flagged_and_another_amount_conflicts() {
        f.settleResource.execute(charge("gpu", 3, "minutes", 1_234L, "k"));
        assertThat(f.settleResource.execute(charge("gpu", 3, "minutes", 1_234L, "k")).replayed()).isTrue();
        assertRefused(() -> f.settleResource.execute(charge("gpu", 3, "minutes", 1_235L, "k")),
                BillingError.IDEMPOTENCY_CONFLICT);
    }

    @Test
    void a_retry_that_spells_out_the_default_description_or_an_empty_reference_replays() {
        SettlementResult first = f.settleResource.execute(SettleResourceCharge.Command.builder()
                .orgId(org).memberId(ann).resource("code_exec").quantity(3).unit("seconds").idempotencyKey("k")
                .build());
        assertThat(f.settleResource.execute(SettleResourceCharge.Command.builder()
                .orgId(org).memberId(ann).resource("code_exec").quantity(3).unit("seconds")
                .description("code_exec: 3 seconds").referenceId("").idempotencyKey("k")
                .build()).entryId()).isEqualTo(first.entryId());
        assertRefused(() -> f.settleResource.execute(SettleResourceCharge.Command.builder()
                .orgId(org).memberId(ann).resource("code_exec").quantity(3).unit("seconds").description("ran code")
                .idempotencyKey("k").build()), BillingError.IDEMPOTENCY_CONFLICT);
    }
}
