package io.agentbilling.stripe;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.CheckoutSession.CheckoutState;
import io.agentbilling.core.payment.OffSessionChargeRequest;
import io.agentbilling.core.payment.OffSessionChargeResult;
import io.agentbilling.core.payment.PaymentEvent;
import io.agentbilling.stripe.fake.Fault;
import io.agentbilling.stripe.fake.StripeEvents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookTest extends GatewayTestSupport {

    // ------------------------------------------------------------------ event types

    @Test
    void a_completed_checkout_becomes_checkout_completed_with_the_paid_session() {
        CheckoutSession created = openCheckout(2500);
        String paymentIntentId = fake.payCheckout(created.id());
        String payload = fake.eventFor("checkout.session.completed", created.id());

        PaymentEvent event = deliver(payload);

        assertThat(event).isInstanceOfSatisfying(PaymentEvent.CheckoutCompleted.class, completed -> {
            assertThat(completed.eventId()).isEqualTo(eventIdOf(payload));
            CheckoutSession session = completed.session();
            assertThat(session.id()).isEqualTo(created.id());
            assertThat(session.orgId()).isEqualTo(org);
            assertThat(session.amountCents()).isEqualTo(2500);
            assertThat(session.state()).isEqualTo(CheckoutState.COMPLETE);
            assertThat(session.paid()).isTrue();
            assertThat(session.paymentIntentId()).isEqualTo(paymentIntentId);
        });
    }

    @Test
    void a_checkout_completed_while_its_payment_is_pending_is_completed_but_not_paid() {
        CheckoutSession created = openCheckout(2500);
        fake.completeCheckoutAwaitingPayment(created.id());

        PaymentEvent event = deliver(fake.eventFor("checkout.session.completed", created.id()));

        assertThat(event).isInstanceOfSatisfying(PaymentEvent.CheckoutCompleted.class,
                completed -> assertThat(completed.session().paid()).isFalse());
    }

    @Test
    void a_delayed_payment_that_succeeds_becomes_checkout_completed_and_paid() {
        CheckoutSession created = openCheckout(2500);
        fake.completeCheckoutAwaitingPayment(created.id());
        fake.settleAsyncPayment(created.id(), true);

        PaymentEvent event = deliver(fake.eventFor("checkout.session.async_payment_succeeded", created.id()));

        assertThat(event).isInstanceOfSatisfying(PaymentEvent.CheckoutCompleted.class, completed -> {
            assertThat(completed.session().paid()).isTrue();
            assertThat(completed.session().orgId()).isEqualTo(org);
        });
    }

    @Test
    void a_delayed_payment_that_fails_becomes_checkout_failed() {
        CheckoutSession created = openCheckout(2500);
        fake.completeCheckoutAwaitingPayment(created.id());
        fake.settleAsyncPayment(created.id(), false);

        PaymentEvent event = deliver(fake.eventFor("checkout.session.async_payment_failed", created.id()));

        assertThat(event).isInstanceOfSatisfying(PaymentEvent.CheckoutFailed.class, failed -> {
            assertThat(failed.session().id()).isEqualTo(created.id());
            assertThat(failed.session().paid()).isFalse();
            assertThat(failed.reason()).isNotBlank();
        });
    }

    @Test
    void a_succeeded_auto_topup_intent_names_its_attempt_org_amount_and_card() {
        String customerId = fake.addCustomer();
        String paymentMethodId = fake.attachPaymentMethod(customerId);
        AutoTopupAttemptId attempt = AutoTopupAttemptId.random();
        OffSessionChargeResult charge = gateway.chargeOffSession(new OffSessionChargeRequest(attempt, org,
                Credits.ofCents(1500), customerId, paymentMethodId, "autotopup:" + attempt));

        PaymentEvent event = deliver(fake.eventFor("payment_intent.succeeded", charge.paymentIntentId()));

        assertThat(event).isEqualTo(new PaymentEvent.PaymentSucceeded(event.eventId(), charge.paymentIntentId(),
                attempt, org, 1500, paymentMethodId));
    }

    @Test
    void a_succeeded_checkout_intent_has_no_attempt_but_names_the_org() {
        CheckoutSession created = openCheckout(4200);
        String paymentIntentId = fake.payCheckout(created.id());

        PaymentEvent event = deliver(fake.eventFor("payment_intent.succeeded", paymentIntentId));

        assertThat(event).isInstanceOfSatisfying(PaymentEvent.PaymentSucceeded.class, succeeded -> {
            assertThat(succeeded.attemptId()).isNull();
            assertThat(succeeded.orgId()).isEqualTo(org);
            assertThat(succeeded.amountCents()).isEqualTo(4200);
            assertThat(succeeded.paymentIntentId()).isEqualTo(paymentIntentId);
        });
    }

    @Test
    void a_failed_intent_carries_the_decline_code_and_message() {
        String customerId = fake.addCustomer();
        String paymentMethodId = fake.attachPaymentMethod(customerId);
        AutoTopupAttemptId attempt = AutoTopupAttemptId.random();
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.cardDeclined("insufficient_funds"));
        OffSessionChargeResult charge = gateway.chargeOffSession(new OffSessionChargeRequest(attempt, org,
                Credits.ofCents(1500), customerId, paymentMethodId, "autotopup:" + attempt));

        PaymentEvent event = deliver(fake.eventFor("payment_intent.payment_failed", charge.paymentIntentId()));

        assertThat(event).isEqualTo(new PaymentEvent.PaymentFailed(event.eventId(), charge.paymentIntentId(),
                attempt, org, "insufficient_funds", "Your card was declined."));
    }

    @Test
    void a_refund_reports_the_cumulative_refunded_amount_of_the_charge() {
        CheckoutSession created = openCheckout(5000);
        String paymentIntentId = fake.payCheckout(created.id());
        fake.refund(paymentIntentId, 1000);
        String chargeId = fake.refund(paymentIntentId, 1500);

        PaymentEvent event = deliver(fake.eventFor("charge.refunded", chargeId));

        // Stripe does not copy the intent's metadata onto the charge: the core finds the org by the intent.
        assertThat(event).isEqualTo(new PaymentEvent.ChargeRefunded(event.eventId(), chargeId, paymentIntentId, null,
                2500));
    }

    @Test
    void a_refunded_charge_with_our_metadata_names_the_org() {
        JsonObject charge = new JsonObject();
        charge.addProperty("id", "ch_1");
        charge.addProperty("object", "charge");
        charge.addProperty("amount", 3000);
        charge.addProperty("amount_refunded", 3000);
        charge.addProperty("currency", "usd");
        charge.addProperty("payment_intent", "pi_1");
        charge.addProperty("refunded", true);
        JsonObject metadata = new JsonObject();
        metadata.addProperty("org_id", org.toString());
        charge.add("metadata", metadata);

        PaymentEvent event = deliver(StripeEvents.event("charge.refunded", charge));

        assertThat(event).isEqualTo(new PaymentEvent.ChargeRefunded(event.eventId(), "ch_1", "pi_1", org, 3000));
    }

    @Test
    void any_other_event_type_is_ignored_with_its_type() {
        JsonObject customer = new JsonObject();
        customer.addProperty("id", "cus_1");
        customer.addProperty("object", "customer");
        String payload = StripeEvents.event("customer.created", customer);

        PaymentEvent event = deliver(payload);

        assertThat(event).isEqualTo(new PaymentEvent.Ignored(eventIdOf(payload), "customer.created"));
    }

    @Test
    void an_event_rendered_with_another_api_version_is_still_translated() {
        CheckoutSession created = openCheckout(2500);
        fake.payCheckout(created.id());
        JsonObject session = fake.checkoutSession(created.id());
        String payload = StripeEvents.event("evt_old_version", "checkout.session.completed", session,
                "2025-03-31.basil");

        PaymentEvent event = deliver(payload);

        assertThat(event).isInstanceOfSatisfying(PaymentEvent.CheckoutCompleted.class, completed -> {
            assertThat(completed.eventId()).isEqualTo("evt_old_version");
            assertThat(completed.session().paid()).isTrue();
            assertThat(completed.session().orgId()).isEqualTo(org);
        });
    }

    @Test
    void an_event_without_an_api_version_is_still_translated() {
        CheckoutSession created = openCheckout(2500);
        fake.payCheckout(created.id());
        String payload = StripeEvents.event("evt_no_version", "checkout.session.completed",
                fake.checkoutSession(created.id()), null);

        PaymentEvent event = deliver(payload);

        assertThat(event).isInstanceOfSatisfying(PaymentEvent.CheckoutCompleted.class,
                completed -> assertThat(completed.session().paid()).isTrue());
    }

    @Test
    void a_header_with_several_v1_signatures_is_accepted_when_one_matches() {
        String payload = customerCreated();
        long now = Instant.now().getEpochSecond();
        String header = "t=" + now + ",v1=" + StripeEvents.signature(payload, "whsec_old_secret", now)
                + ",v1=" + StripeEvents.signature(payload, WEBHOOK_SECRET, now) + ",v0=deadbeef";

        assertThat(gateway.parseWebhook(bytes(payload), header)).isInstanceOf(PaymentEvent.Ignored.class);
    }

    // ------------------------------------------------------------------ rejected deliveries

    @Test
    void a_missing_signature_header_is_a_bad_request() {
        assertBillingError(() -> gateway.parseWebhook(bytes(customerCreated()), null), BillingError.BAD_REQUEST);
        assertBillingError(() -> gateway.parseWebhook(bytes(customerCreated()), ""), BillingError.BAD_REQUEST);
        assertBillingError(() -> gateway.parseWebhook(bytes(customerCreated()), "   "), BillingError.BAD_REQUEST);
    }

    @Test
    void a_malformed_signature_header_is_a_bad_request() {
        String payload = customerCreated();
        String v1 = StripeEvents.signature(payload, WEBHOOK_SECRET, Instant.now().getEpochSecond());
        for (String header : new String[] {
                "t=abc,v1=" + v1,                                    // NumberFormatException inside stripe-java
                "garbage",
                "v1=" + v1,                                          // no timestamp
                "t=" + Instant.now().getEpochSecond(),               // no signature
                "t=" + Instant.now().getEpochSecond() + ", v1=" + v1, // a space: no v1 scheme
                ",,,=,=",
                "t=" + Long.MAX_VALUE + "0,v1=" + v1,
                "t=1,v1=" + "x".repeat(StripeWebhooks.MAX_SIGNATURE_HEADER_CHARS)}) {
            assertBillingError(() -> gateway.parseWebhook(bytes(payload), header), BillingError.BAD_REQUEST);
            assertThatThrownBy(() -> gateway.parseWebhook(bytes(payload), header)).as(header)
                    .hasMessageNotContaining("Exception").hasMessageNotContaining("Error");
        }
    }

    @Test
    void a_forged_signature_is_a_bad_request() {
        String payload = customerCreated();
        String header = StripeEvents.signatureHeader(payload, WEBHOOK_SECRET);
        String forged = header.substring(0, header.length() - 4) + "0000";

        assertBillingError(() -> gateway.parseWebhook(bytes(payload), forged), BillingError.BAD_REQUEST);
    }

    @Test
    void a_body_changed_after_signing_is_a_bad_request() {
        String payload = customerCreated();
        String header = StripeEvents.signatureHeader(payload, WEBHOOK_SECRET);
        String tampered = payload.replace("customer.created", "customer.createe");

        assertThat(tampered).isNotEqualTo(payload);
        assertBillingError(() -> gateway.parseWebhook(bytes(tampered), header), BillingError.BAD_REQUEST);
    }

    @Test
    void a_signature_made_with_another_secret_is_a_bad_request() {
        String payload = customerCreated();

        assertBillingError(() -> gateway.parseWebhook(bytes(payload),
                StripeEvents.signatureHeader(payload, "whsec_someone_else")), BillingError.BAD_REQUEST);
    }

    @Test
    void a_signature_older_than_the_tolerance_is_a_bad_request_and_one_just_inside_it_is_accepted() {
        Instant now = Instant.parse("2026-11-27T10:31:00Z");
        StripePaymentGateway atNow = new StripePaymentGateway(config(), Clock.fixed(now, ZoneOffset.UTC));
        String payload = customerCreated();
        long tolerance = StripeConfig.DEFAULT_WEBHOOK_TOLERANCE_SECONDS;

        String fresh = StripeEvents.signatureHeader(payload, WEBHOOK_SECRET, now.getEpochSecond() - tolerance + 1);
        String stale = StripeEvents.signatureHeader(payload, WEBHOOK_SECRET, now.getEpochSecond() - tolerance - 1);

        assertThat(atNow.parseWebhook(bytes(payload), fresh)).isInstanceOf(PaymentEvent.Ignored.class);
        assertBillingError(() -> atNow.parseWebhook(bytes(payload), stale), BillingError.BAD_REQUEST);
    }

    @Test
    void a_correctly_signed_body_that_is_not_a_json_event_is_a_bad_request() {
        for (String payload : new String[] {
                "not json at all",
                "{\"id\": \"evt_1\", \"type\": ",
                "[1, 2, 3]",
                "null",
                "{}",
                "{\"id\":\"evt_1\",\"object\":\"v2.core.event\",\"type\":\"v1.billing.meter.error_report_triggered\"}",
                "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\",\"data\":{}}",
                "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"checkout.session.completed\","
                        + "\"data\":{\"object\":{\"id\":\"ch_1\",\"object\":\"charge\"}}}",
                "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\",\"data\":\"x\"}"}) {
            String header = StripeEvents.signatureHeader(payload, WEBHOOK_SECRET);
            assertBillingError(() -> gateway.parseWebhook(bytes(payload), header), BillingError.BAD_REQUEST);
        }
    }

    @Test
    void an_empty_body_is_a_bad_request() {
        String header = StripeEvents.signatureHeader("", WEBHOOK_SECRET);

        assertBillingError(() -> gateway.parseWebhook(new byte[0], header), BillingError.BAD_REQUEST);
        assertBillingError(() -> gateway.parseWebhook(null, header), BillingError.BAD_REQUEST);
    }

    private PaymentEvent deliver(String payload) {
        return gateway.parseWebhook(bytes(payload), StripeEvents.signatureHeader(payload, WEBHOOK_SECRET));
    }

    private static String customerCreated() {
        JsonObject customer = new JsonObject();
        customer.addProperty("id", "cus_1");
        customer.addProperty("object", "customer");
        return StripeEvents.event("customer.created", customer);
    }

    private static String eventIdOf(String payload) {
        return JsonParser.parseString(payload).getAsJsonObject().get("id").getAsString();
    }

    private static byte[] bytes(String payload) {
        return payload.getBytes(StandardCharsets.UTF_8);
    }
}
