package io.agentbilling.core.usecase;

import io.agentbilling.core.access.OrgId;
import static io.agentbilling.core.usecase.StartTopupTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.CheckoutSession.CheckoutState;
import io.agentbilling.core.payment.PaymentEvent;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.usecase.HandlePaymentEvent.Outcome;
import io.agentbilling.core.usecase.PaymentsWorld.OrgFixture;
import io.agentbilling.core.usecase.VerifyCheckout.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The success page and the checkout webhook, alone and racing each other (DESIGN.md rule 7). */
class CheckoutCreditTest {
    private final PaymentsWorld world = new PaymentsWorld();
    private final OrgFixture org = world.newOrg("Acme");

    @Test
    void a_paid_session_is_credited_as_a_topup_of_the_providers_amount() {
        String session = open(2_500);
        world.gateway.payCheckout(session);

        VerifyCheckout.Result result = verify(session);

        assertThat(result.status()).isEqualTo(Status.PAID);
        assertThat(result.credited()).isTrue();
        assertThat(result.amountCents()).isEqualTo(2_500);
        assertThat(result.balance()).isEqualTo(Credits.ofCents(2_500));
        List<LedgerEntry> topups = world.entries(org.id(), EntryType.TOPUP);
        assertThat(topups).singleElement().satisfies(e -> {
            assertThat(e.amount()).isEqualTo(Credits.ofCents(2_500));
            assertThat(e.referenceId()).isEqualTo(session);
            assertThat(e.idempotencyKey()).isEqualTo("checkout:" + session);
            assertThat(e.id()).isEqualTo(result.entryId());
        });
    }

    @Test
    void a_paid_session_saves_the_card_for_auto_top_up() {
        String session = open(2_500);
        CheckoutSession paid = world.gateway.payCheckout(session);

        verify(session);

        assertThat(world.profile(org.id())).get().extracting(PaymentProfile::paymentMethodId)
                .isEqualTo(paid.paymentMethodId());
        assertThat(world.getAutoTopup.execute(new GetAutoTopup.Command(org.member(), null)).hasSavedPaymentMethod())
                .isTrue();
    }

    @Test
    void an_open_session_credits_nothing() {
        String session = open(2_500);

        VerifyCheckout.Result result = verify(session);

        assertThat(result.status()).isEqualTo(Status.OPEN);
        assertThat(result.credited()).isFalse();
        assertThat(result.entryId()).isNull();
        assertThat(result.balance()).isEqualTo(Credits.ZERO);
        assertThat(world.entries(org.id())).isEmpty();
    }

    @Test
    void a_complete_but_unpaid_session_credits_nothing() {
        String session = open(2_500);
        world.gateway.completeUnpaid(session);

        VerifyCheckout.Result result = verify(session);

        assertThat(result.status()).isEqualTo(Status.UNPAID);
        assertThat(result.credited()).isFalse();
        assertThat(world.entries(org.id())).isEmpty();
    }

    @Test
    void an_expired_session_credits_nothing() {
        String session = open(2_500);
        world.gateway.expireCheckout(session);

        VerifyCheckout.Result result = verify(session);

        assertThat(result.status()).isEqualTo(Status.EXPIRED);
        assertThat(result.credited()).isFalse();
        assertThat(world.entries(org.id())).isEmpty();
    }

    @Test
    void an_unknown_session_is_not_found() {
        assertError(() -> verify("cs_test_nope"), BillingError.NOT_FOUND);
    }

    @Test
    void another_orgs_session_is_not_found_and_credits_nobody() {
        OrgFixture other = world.newOrg("Other");
        String theirs = world.startTopup.execute(StartTopup.Command.builder()
                .caller(other.admin()).amountCents(2_500).build())
                .sessionId();
        world.gateway.payCheckout(theirs);

        assertError(() -> verify(theirs), BillingError.NOT_FOUND);
        assertThat(world.entries(org.id())).isEmpty();
        assertThat(world.entries(other.id())).isEmpty();
    }

    @Test
    void a_provider_session_naming_us_but_recorded_for_another_org_is_not_found() {
        OrgFixture other = world.newOrg("Other");
        String theirs = world.startTopup.execute(StartTopup.Command.builder()
                .caller(other.admin()).amountCents(2_500).build())
                .sessionId();
        CheckoutSession paid = world.gateway.payCheckout(theirs);
        world.gateway.putSession(withOrgAndAmount(paid, org, paid.amountCents()));

        assertError(() -> verify(theirs), BillingError.NOT_FOUND);
        assertThat(world.entries(org.id())).isEmpty();
    }

    @Test
    void a_provider_amount_that_differs_from_our_record_is_not_credited() {
        String session = open(2_500);
        CheckoutSession paid = world.gateway.payCheckout(session);
        world.gateway.putSession(withOrgAndAmount(paid, org, 250_000));

        assertError(() -> verify(session), BillingError.CONFLICT);
        assertThat(world.entries(org.id())).isEmpty();
    }

    @Test
    void a_paid_session_we_have_no_record_of_is_credited_with_the_providers_amount() {
        world.gateway.putSession(new CheckoutSession("cs_external", org.id(), 1_200, CheckoutState.COMPLETE, true,
                null, "cus_x", null, "pi_external"));

        VerifyCheckout.Result result = verify("cs_external");

        assertThat(result.credited()).isTrue();
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(1_200));
    }

    @Test
    void verifying_a_paid_session_twice_credits_once() {
        String session = open(2_500);
        world.gateway.payCheckout(session);

        VerifyCheckout.Result first = verify(session);
        VerifyCheckout.Result second = verify(session);

        assertThat(second.entryId()).isEqualTo(first.entryId());
        assertThat(second.credited()).isTrue();
        assertThat(world.entries(org.id(), EntryType.TOPUP)).hasSize(1);
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(2_500));
    }

    @Test
    void the_webhook_then_the_success_page_credit_once() {
        String session = open(2_500);
        world.gateway.payCheckout(session);

        HandlePaymentEvent.Result hook = world.handleEvent.execute(world.gateway.checkoutCompletedEvent(session));
        VerifyCheckout.Result page = verify(session);

        assertThat(hook.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(page.credited()).isTrue();
        assertThat(world.entries(org.id(), EntryType.TOPUP)).singleElement()
                .satisfies(e -> assertThat(e.id()).isEqualTo(page.entryId()));
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(2_500));
    }

    @Test
    void the_success_page_then_the_webhook_credit_once() {
        String session = open(2_500);
        world.gateway.payCheckout(session);

        verify(session);
        HandlePaymentEvent.Result hook = world.handleEvent.execute(world.gateway.checkoutCompletedEvent(session));

        assertThat(hook.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(world.entries(org.id(), EntryType.TOPUP)).hasSize(1);
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(2_500));
    }

    @Test
    void an_unpaid_completion_webhook_credits_nothing_and_the_later_paid_one_credits() {
        String session = open(2_500);
        world.gateway.completeUnpaid(session);

        HandlePaymentEvent.Result unpaid = world.handleEvent.execute(world.gateway.checkoutCompletedEvent(session));
        assertThat(unpaid.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(world.entries(org.id())).isEmpty();

        world.gateway.payCheckout(session);
        world.handleEvent.execute(world.gateway.checkoutCompletedEvent(session));
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(2_500));
    }

    @Test
    void the_same_webhook_event_twice_has_one_effect() {
        String session = open(2_500);
        world.gateway.payCheckout(session);
        PaymentEvent event = world.gateway.checkoutCompletedEvent(session);

        HandlePaymentEvent.Result first = world.handleEvent.execute(event);
        HandlePaymentEvent.Result second = world.handleEvent.execute(event);

        assertThat(first.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(second.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(world.entries(org.id())).hasSize(1);
    }

    @Test
    void a_webhook_for_a_session_naming_no_org_or_an_unknown_org_is_ignored() {
        world.gateway.putSession(new CheckoutSession("cs_orphan", null, 1_000, CheckoutState.COMPLETE, true, null,
                null, null, null));
        world.gateway.putSession(new CheckoutSession("cs_ghost", io.agentbilling.core.access.OrgId.random(), 1_000,
                CheckoutState.COMPLETE, true, null, null, null, null));

        assertThat(world.handleEvent.execute(world.gateway.checkoutCompletedEvent("cs_orphan")).outcome())
                .isEqualTo(Outcome.IGNORED);
        assertThat(world.handleEvent.execute(world.gateway.checkoutCompletedEvent("cs_ghost")).outcome())
                .isEqualTo(Outcome.IGNORED);
    }

    @Test
    void a_webhook_whose_session_disagrees_with_our_record_is_ignored() {
        String session = open(2_500);
        CheckoutSession paid = world.gateway.payCheckout(session);
        world.gateway.putSession(withOrgAndAmount(paid, org, 9_999));

        HandlePaymentEvent.Result result = world.handleEvent.execute(world.gateway.checkoutCompletedEvent(session));

        assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(world.entries(org.id())).isEmpty();
    }

    @Test
    void a_failed_async_payment_is_recorded_on_the_checkout() {
        String session = open(2_500);

        HandlePaymentEvent.Result result = world.handleEvent.execute(
                world.gateway.checkoutFailedEvent(session, "insufficient_funds"));

        assertThat(result.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(world.checkout(session).orElseThrow().failureReason()).isEqualTo("insufficient_funds");
        assertThat(world.entries(org.id())).isEmpty();
    }

    @Test
    void an_event_that_fails_midway_is_not_marked_processed_so_its_redelivery_applies() {
        String session = open(2_500);
        world.gateway.payCheckout(session);
        PaymentEvent event = world.gateway.checkoutCompletedEvent(session);
        world.tx.crashNextCommit();

        try {
            world.handleEvent.execute(event);
        } catch (IllegalStateException expected) {
            // the simulated crash
        }
        assertThat(world.entries(org.id())).isEmpty();

        assertThat(world.handleEvent.execute(event).outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(world.entries(org.id())).hasSize(1);
    }

    @Test
    void a_webhook_with_a_bad_signature_is_refused_by_the_gateway() {
        String session = open(2_500);
        world.gateway.payCheckout(session);
        var delivery = world.gateway.deliver(world.gateway.checkoutCompletedEvent(session));

        assertError(() -> world.gateway.parseWebhook(delivery.payload(), "v1=forged"), BillingError.BAD_REQUEST);
        assertError(() -> world.gateway.parseWebhook(delivery.payload(), null), BillingError.BAD_REQUEST);
        PaymentEvent parsed = world.gateway.parseWebhook(delivery.payload(), delivery.signature());
        assertThat(world.handleEvent.execute(parsed).outcome()).isEqualTo(Outcome.PROCESSED);
    }

    private String open(long cents) {
        return world.startTopup.execute(StartTopup.Command.builder().caller(org.admin()).amountCents(cents).build())
                .sessionId();
    }

    private VerifyCheckout.Result verify(String sessionId) {
        return world.verifyCheckout.execute(new VerifyCheckout.Command(org.member(), sessionId));
    }

    private static CheckoutSession withOrgAndAmount(CheckoutSession s, OrgFixture org, long cents) {
        return new CheckoutSession(s.id(), org.id(), cents, s.state(), s.paid(), s.checkoutUrl(), s.customerId(),
                s.paymentMethodId(), s.paymentIntentId());
    }
}
