package io.agentbilling.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.PaymentEvent;
import io.agentbilling.core.usecase.HandlePaymentEvent.Outcome;
import io.agentbilling.core.usecase.PaymentsWorld.OrgFixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/** charge.refunded: the provider reports the cumulative refunded amount; the ledger records exactly the new part. */
class RefundTest {
    private final PaymentsWorld world = new PaymentsWorld();
    private final OrgFixture org = world.newOrg("Acme");
    private final String intent;

    RefundTest() {
        String session = world.paidTopup(org, 5_000);
        intent = world.gateway.session(session).paymentIntentId();
    }

    @Test
    void two_partial_refunds_record_each_part_once() {
        refund(1_000);
        refund(3_000);

        List<LedgerEntry> refunds = world.entries(org.id(), EntryType.REFUND);
        assertThat(refunds).extracting(LedgerEntry::amount)
                .containsExactly(Credits.ofCents(-1_000), Credits.ofCents(-2_000));
        assertThat(refunds).extracting(LedgerEntry::idempotencyKey)
                .containsExactly("refund:ch_" + intent + ":1000", "refund:ch_" + intent + ":3000");
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(2_000));
    }

    @Test
    void a_redelivered_refund_under_a_new_event_id_records_nothing_more() {
        refund(1_000);
        HandlePaymentEvent.Result again = refund(1_000);

        assertThat(again.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(world.entries(org.id(), EntryType.REFUND)).hasSize(1);
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(4_000));
    }

    @Test
    void the_same_refund_event_twice_is_a_duplicate() {
        PaymentEvent event = world.gateway.chargeRefundedEvent(intent, org.id(), 1_000);

        world.handleEvent.execute(event);
        assertThat(world.handleEvent.execute(event).outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(world.entries(org.id(), EntryType.REFUND)).hasSize(1);
    }

    @Test
    void an_older_cumulative_amount_arriving_late_records_nothing() {
        refund(3_000);
        refund(1_000);

        assertThat(world.entries(org.id(), EntryType.REFUND)).extracting(LedgerEntry::amount)
                .containsExactly(Credits.ofCents(-3_000));
    }

    @Test
    void a_refund_is_never_more_than_the_payment_credited() {
        refund(4_000);
        refund(9_000);

        assertThat(world.entries(org.id(), EntryType.REFUND)).extracting(LedgerEntry::amount)
                .containsExactly(Credits.ofCents(-4_000), Credits.ofCents(-1_000));
        assertThat(world.balance(org.id())).isEqualTo(Credits.ZERO);
    }

    @Test
    void a_refund_may_take_the_balance_below_zero_when_the_credit_was_spent() {
        world.spend(org.id(), 4_500);

        refund(5_000);

        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(-4_500));
    }

    @Test
    void a_refund_of_an_unknown_payment_is_ignored() {
        HandlePaymentEvent.Result result = world.handleEvent.execute(
                world.gateway.chargeRefundedEvent("pi_unknown", org.id(), 1_000));

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(world.entries(org.id(), EntryType.REFUND)).isEmpty();
    }

    @Test
    void a_refund_naming_another_org_than_the_payments_is_ignored() {
        HandlePaymentEvent.Result result = world.handleEvent.execute(
                world.gateway.chargeRefundedEvent(intent, OrgId.random(), 1_000));

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(world.entries(org.id(), EntryType.REFUND)).isEmpty();
    }

    @Test
    void a_refund_without_an_org_uses_the_org_of_our_record() {
        world.handleEvent.execute(world.gateway.chargeRefundedEvent(intent, null, 1_000));

        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(4_000));
    }

    private HandlePaymentEvent.Result refund(long cumulativeCents) {
        return world.handleEvent.execute(world.gateway.chargeRefundedEvent(intent, org.id(), cumulativeCents));
    }
}
