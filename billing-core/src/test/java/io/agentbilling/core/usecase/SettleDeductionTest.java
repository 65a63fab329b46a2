package io.agentbilling.core.usecase;

import io.agentbilling.core.money.CreditAmounts;
import static io.agentbilling.core.usecase.Refusals.assertInvalid;
import static io.agentbilling.core.usecase.Refusals.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import org.junit.jupiter.api.Test;

class SettleDeductionTest {
    private final UsageFixture f = new UsageFixture();
    private final OrgId org = f.newOrg();
    private final MemberId ann = f.newMember(org);

    {
        f.topUp(org, Credits.ofCents(100));
    }

    @Test
    void a_deduction_debits_exactly_its_amount_and_counts_as_resource_usage() {
        SettlementResult result = f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(2_500_001).resource("voice").description("voice minutes")
                .referenceId("call-9").idempotencyKey("k").build());
        assertThat(result.charged()).isEqualTo(Credits.ofMicros(2_500_001));
        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(100).minus(Credits.ofMicros(2_500_001)));
        LedgerEntry entry = f.entries(org).get(0);
        assertThat(entry.resource()).isEqualTo("voice");
        assertThat(entry.description()).isEqualTo("voice minutes");
        assertThat(entry.referenceId()).isEqualTo("call-9");
        assertThat(f.usage(org, ann)).containsExactly(UsageAmounts.resource(ann, "voice", "", 0,
                Credits.ofMicros(2_500_001)));
    }

    @Test
    void a_deduction_without_a_member_is_org_level() {
        f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).amountMicros(10).resource("voice").idempotencyKey("k").build());
        assertThat(f.entries(org).get(0).memberId()).isNull();
        assertThat(f.entries(org).get(0).description()).isEqualTo("voice");
    }

    @Test
    void the_amount_must_be_positive_and_the_resource_named() {
        assertInvalid(() -> f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(0).resource("voice").idempotencyKey("k")
                .build()), "amountMicros");
        assertInvalid(() -> f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(1).resource("").idempotencyKey("k").build()),
                "resource");
        assertInvalid(() -> f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(1).resource("voice").description("d".repeat(1_001))
                .idempotencyKey("k").build()), "description");
        // One billion dollars at most, the API's bound, which an embedder gets from the core too.
        assertInvalid(() -> f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(CreditAmounts.MAX_MICROS + 1).resource("voice")
                .idempotencyKey("k").build()), "amountMicros");
        assertInvalid(() -> f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(Long.MAX_VALUE).resource("voice").idempotencyKey("k")
                .build()), "amountMicros");
    }

    @Test
    void a_replay_returns_the_original_entry_and_another_amount_conflicts() {
        SettleDeduction.Command command = SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(10).resource("voice").idempotencyKey("k").build();
        SettlementResult first = f.settleDeduction.execute(command);
        SettlementResult replay = f.settleDeduction.execute(command);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.entryId()).isEqualTo(first.entryId());
        assertRefused(() -> f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(11).resource("voice").idempotencyKey("k")
                .build()), BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(100).minus(Credits.ofMicros(10)));
    }

    @Test
    void an_unknown_org_is_not_found() {
        assertRefused(() -> f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(OrgId.random()).amountMicros(10).resource("voice").idempotencyKey("k")
                .build()), BillingError.NOT_FOUND);
    }

    @Test
    void execute_and_read_returns_the_written_entry_and_on_replay_the_original_one() {
        SettleDeduction.Command command = SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(2_500_001).resource("voice").description("voice minutes")
                .referenceId("call-9").idempotencyKey("k").build();
        SettleDeduction.Recorded first = f.settleDeduction.executeAndRead(command);
        assertThat(first.entry()).isEqualTo(f.entries(org).get(0));
        assertThat(first.entry().id()).isEqualTo(first.settlement().entryId());
        assertThat(first.entry().amount()).isEqualTo(Credits.ofMicros(-2_500_001));
        assertThat(first.entry().balanceAfter()).isEqualTo(first.settlement().balanceAfter());

        SettleDeduction.Recorded replay = f.settleDeduction.executeAndRead(command);
        assertThat(replay.settlement().replayed()).isTrue();
        assertThat(replay.entry()).isEqualTo(first.entry());
        assertRefused(() -> f.settleDeduction.executeAndRead(SettleDeduction.Command.builder()
                .orgId(OrgId.random()).amountMicros(10).resource("voice").idempotencyKey("k")
                .build()), BillingError.NOT_FOUND);
    }

    @Test
    void a_retry_that_spells_out_the_defaults_replays_and_a_real_difference_conflicts() {
        SettlementResult first = f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(10).resource("voice").idempotencyKey("k").build());
        SettlementResult spelled = f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(10).resource("voice").description("voice").referenceId("")
                .idempotencyKey("k").build());
        assertThat(spelled.replayed()).isTrue();
        assertThat(spelled.entryId()).isEqualTo(first.entryId());
        assertThat(f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(10).resource("voice").description(" ").idempotencyKey("k")
                .build())
                .replayed()).isTrue();
        assertRefused(() -> f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(10).resource("voice").description("other").idempotencyKey("k")
                .build()), BillingError.IDEMPOTENCY_CONFLICT);
        assertRefused(() -> f.settleDeduction.execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(ann).amountMicros(10).resource("voice").referenceId("ref").idempotencyKey("k")
                .build()), BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.entries(org)).hasSize(2); // the top-up and the one deduction
    }
}
