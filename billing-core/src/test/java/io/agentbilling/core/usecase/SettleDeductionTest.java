package io.agentbilling.core.usecase;

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
        SettlementResult result = f.settleDeduction.execute(new SettleDeduction.Command(org, ann, 2_500_001,
                "voice", "voice minutes", "call-9", "k"));
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
        f.settleDeduction.execute(new SettleDeduction.Command(org, null, 10, "voice", null, null, "k"));
        assertThat(f.entries(org).get(0).memberId()).isNull();
        assertThat(f.entries(org).get(0).description()).isEqualTo("voice");
    }

    @Test
    void the_amount_must_be_positive_and_the_resource_named() {
        assertInvalid(() -> f.settleDeduction.execute(new SettleDeduction.Command(org, ann, 0, "voice", null, null,
                "k")), "amountMicros");
        assertInvalid(() -> f.settleDeduction.execute(new SettleDeduction.Command(org, ann, 1, "", null, null, "k")),
                "resource");
        assertInvalid(() -> f.settleDeduction.execute(new SettleDeduction.Command(org, ann, 1, "voice",
                "d".repeat(1_001), null, "k")), "description");
        // One billion dollars at most, the API's bound, which an embedder gets from the core too.
        assertInvalid(() -> f.settleDeduction.execute(new SettleDeduction.Command(org, ann,
                Commands.MAX_AMOUNT_MICROS + 1, "voice", null, null, "k")), "amountMicros");
        assertInvalid(() -> f.settleDeduction.execute(new SettleDeduction.Command(org, ann, Long.MAX_VALUE, "voice",
                null, null, "k")), "amountMicros");
    }

    @Test
    void a_replay_returns_the_original_entry_and_another_amount_conflicts() {
        SettleDeduction.Command command = new SettleDeduction.Command(org, ann, 10, "voice", null, null, "k");
        SettlementResult first = f.settleDeduction.execute(command);
        SettlementResult replay = f.settleDeduction.execute(command);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.entryId()).isEqualTo(first.entryId());
        assertRefused(() -> f.settleDeduction.execute(new SettleDeduction.Command(org, ann, 11, "voice", null, null,
                "k")), BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.balance(org)).isEqualTo(Credits.ofCents(100).minus(Credits.ofMicros(10)));
    }

    @Test
    void an_unknown_org_is_not_found() {
        assertRefused(() -> f.settleDeduction.execute(new SettleDeduction.Command(OrgId.random(), null, 10, "voice",
                null, null, "k")), BillingError.NOT_FOUND);
    }

    @Test
    void execute_and_read_returns_the_written_entry_and_on_replay_the_original_one() {
        SettleDeduction.Command command = new SettleDeduction.Command(org, ann, 2_500_001, "voice", "voice minutes",
                "call-9", "k");
        SettleDeduction.Recorded first = f.settleDeduction.executeAndRead(command);
        assertThat(first.entry()).isEqualTo(f.entries(org).get(0));
        assertThat(first.entry().id()).isEqualTo(first.settlement().entryId());
        assertThat(first.entry().amount()).isEqualTo(Credits.ofMicros(-2_500_001));
        assertThat(first.entry().balanceAfter()).isEqualTo(first.settlement().balanceAfter());

        SettleDeduction.Recorded replay = f.settleDeduction.executeAndRead(command);
        assertThat(replay.settlement().replayed()).isTrue();
        assertThat(replay.entry()).isEqualTo(first.entry());
        assertRefused(() -> f.settleDeduction.executeAndRead(new SettleDeduction.Command(OrgId.random(), null, 10,
                "voice", null, null, "k")), BillingError.NOT_FOUND);
    }

    @Test
    void a_retry_that_spells_out_the_defaults_replays_and_a_real_difference_conflicts() {
        SettlementResult first = f.settleDeduction.execute(new SettleDeduction.Command(org, ann, 10, "voice", null,
                null, "k"));
        SettlementResult spelled = f.settleDeduction.execute(new SettleDeduction.Command(org, ann, 10, "voice",
                "voice", "", "k"));
        assertThat(spelled.replayed()).isTrue();
        assertThat(spelled.entryId()).isEqualTo(first.entryId());
        assertThat(f.settleDeduction.execute(new SettleDeduction.Command(org, ann, 10, "voice", " ", null, "k"))
                .replayed()).isTrue();
        assertRefused(() -> f.settleDeduction.execute(new SettleDeduction.Command(org, ann, 10, "voice", "other",
                null, "k")), BillingError.IDEMPOTENCY_CONFLICT);
        assertRefused(() -> f.settleDeduction.execute(new SettleDeduction.Command(org, ann, 10, "voice", null,
                "ref", "k")), BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(f.entries(org)).hasSize(2); // the top-up and the one deduction
    }
}
