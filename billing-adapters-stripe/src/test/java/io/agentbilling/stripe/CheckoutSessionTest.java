package io.agentbilling.stripe;

import com.google.gson.JsonObject;
import com.stripe.Stripe;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.CheckoutRequest;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.CheckoutSession.CheckoutState;
import io.agentbilling.stripe.fake.Fault;
import io.agentbilling.stripe.fake.RecordedRequest;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class CheckoutSessionTest extends GatewayTestSupport {

    @Test
    void a_customer_is_created_with_the_org_in_its_metadata_and_the_callers_idempotency_key() {
        String customerId = gateway.createCustomer(org, "Acme Corp", "customer:" + org);

        RecordedRequest request = fake.onlyRequest("POST", "/v1/customers");
        assertThat(customerId).startsWith("cus_");
        assertThat(request.params()).containsEntry("metadata[org_id]", org.toString()).containsEntry("name", "Acme Corp");
        assertThat(request.idempotencyKey()).isEqualTo("customer:" + org);
        assertThat(request.header("Authorization")).isEqualTo("Bearer " + SECRET_KEY);
        assertThat(request.header("Stripe-Version")).isEqualTo(Stripe.API_VERSION);
    }

    @Test
    void creating_the_customer_again_with_the_same_key_returns_the_same_customer() {
        String first = gateway.createCustomer(org, "Acme", "customer:" + org);
        String second = gateway.createCustomer(org, "Acme", "customer:" + org);

        assertThat(second).isEqualTo(first);
        assertThat(fake.requests("POST", "/v1/customers")).extracting(RecordedRequest::replayed)
                .containsExactly(false, true);
    }

    @Test
    void a_checkout_session_charges_exactly_the_amount_in_usd_and_saves_the_card_for_off_session_use() {
        String customerId = fake.addCustomer();

        CheckoutSession session = gateway.createCheckoutSession(new CheckoutRequest(org, Credits.ofCents(2500),
                customerId, SUCCESS_URL, CANCEL_URL, "topup-create:t-1"));

        RecordedRequest request = fake.onlyRequest("POST", "/v1/checkout/sessions");
        assertThat(request.params()).contains(
                entry("mode", "payment"),
                entry("customer", customerId),
                entry("client_reference_id", org.toString()),
                entry("metadata[org_id]", org.toString()),
                entry("line_items[0][quantity]", "1"),
                entry("line_items[0][price_data][currency]", "usd"),
                entry("line_items[0][price_data][unit_amount]", "2500"),
                entry("line_items[0][price_data][product_data][name]", "Prepaid credit"),
                entry("payment_intent_data[setup_future_usage]", "off_session"),
                entry("payment_intent_data[metadata][org_id]", org.toString()),
                entry("success_url", SUCCESS_URL),
                entry("cancel_url", CANCEL_URL));
        assertThat(request.params()).doesNotContainKeys("customer_creation", "ui_mode");
        assertThat(request.subParams("line_items[0][price_data]")).containsOnlyKeys("currency", "unit_amount");
        assertThat(request.idempotencyKey()).isEqualTo("topup-create:t-1");

        assertThat(session.id()).startsWith("cs_test_");
        assertThat(session.orgId()).isEqualTo(org);
        assertThat(session.amountCents()).isEqualTo(2500);
        assertThat(session.state()).isEqualTo(CheckoutState.OPEN);
        assertThat(session.paid()).isFalse();
        assertThat(session.checkoutUrl()).isEqualTo(fake.baseUrl() + "/c/pay/" + session.id());
        assertThat(session.customerId()).isEqualTo(customerId);
        assertThat(session.paymentIntentId()).isNull();
        assertThat(session.paymentMethodId()).isNull();
    }

    @Test
    void retrying_a_checkout_with_the_same_key_returns_the_same_session_and_opens_no_second_one() {
        String customerId = fake.addCustomer();
        CheckoutRequest request = new CheckoutRequest(org, Credits.ofCents(900), customerId, SUCCESS_URL, CANCEL_URL,
                "topup-create:t-2");

        CheckoutSession first = gateway.createCheckoutSession(request);
        CheckoutSession second = gateway.createCheckoutSession(request);

        assertThat(second).isEqualTo(first);
        assertThat(fake.checkoutSessions()).hasSize(1);
    }

    @Test
    void an_outage_while_opening_a_checkout_is_a_provider_error_and_the_retry_with_the_same_key_succeeds() {
        String customerId = fake.addCustomer();
        CheckoutRequest request = new CheckoutRequest(org, Credits.ofCents(900), customerId, SUCCESS_URL, CANCEL_URL,
                "topup-create:t-3");
        fake.failNext("POST", "/v1/checkout/sessions", 1, Fault.serverError());

        assertBillingError(() -> gateway.createCheckoutSession(request), BillingError.PAYMENT_PROVIDER_ERROR);
        CheckoutSession session = gateway.createCheckoutSession(request);

        assertThat(session.state()).isEqualTo(CheckoutState.OPEN);
        assertThat(fake.requests("POST", "/v1/checkout/sessions")).extracting(RecordedRequest::idempotencyKey)
                .containsExactly("topup-create:t-3", "topup-create:t-3");
        assertThat(fake.checkoutSessions()).hasSize(1);
    }

    @Test
    void a_request_stripe_refuses_as_invalid_is_a_configuration_bug_not_a_user_error() {
        CheckoutRequest request = new CheckoutRequest(org, Credits.ofCents(900), "cus_does_not_exist", SUCCESS_URL,
                CANCEL_URL, "topup-create:t-4");

        assertThatThrownBy(() -> gateway.createCheckoutSession(request)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("resource_missing").hasMessageContaining("request_id=req_fake_");
    }

    @Test
    void a_rejected_api_key_is_a_configuration_bug() {
        fake.failNext(1, Fault.unauthorized());

        assertThatThrownBy(() -> gateway.createCustomer(org, "Acme", "customer:" + org))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_paid_session_is_complete_and_paid_and_names_the_saved_card() {
        CheckoutSession created = openCheckout(2500);
        String paymentIntentId = fake.payCheckout(created.id());

        CheckoutSession fetched = gateway.fetchCheckoutSession(created.id()).orElseThrow();

        assertThat(fetched.state()).isEqualTo(CheckoutState.COMPLETE);
        assertThat(fetched.paid()).isTrue();
        assertThat(fetched.orgId()).isEqualTo(org);
        assertThat(fetched.amountCents()).isEqualTo(2500);
        assertThat(fetched.paymentIntentId()).isEqualTo(paymentIntentId);
        assertThat(fetched.paymentMethodId()).isEqualTo(fake.paymentIntent(paymentIntentId)
                .get("payment_method").getAsString()).startsWith("pm_");
        assertThat(fetched.customerId()).isEqualTo(created.customerId());
        RecordedRequest request = fake.onlyRequest("GET", "/v1/checkout/sessions/");
        assertThat(request.path()).isEqualTo("/v1/checkout/sessions/" + created.id());
        assertThat(request.params()).containsEntry("expand[0]", "payment_intent");
    }

    @Test
    void a_session_completed_with_a_payment_still_pending_is_complete_but_not_paid() {
        CheckoutSession created = openCheckout(2500);
        fake.completeCheckoutAwaitingPayment(created.id());

        CheckoutSession fetched = gateway.fetchCheckoutSession(created.id()).orElseThrow();

        assertThat(fetched.state()).isEqualTo(CheckoutState.COMPLETE);
        assertThat(fetched.paid()).isFalse();
        assertThat(fetched.paymentIntentId()).isNotNull();
    }

    @Test
    void an_open_session_is_open_and_unpaid() {
        CheckoutSession created = openCheckout(700);

        CheckoutSession fetched = gateway.fetchCheckoutSession(created.id()).orElseThrow();

        assertThat(fetched.state()).isEqualTo(CheckoutState.OPEN);
        assertThat(fetched.paid()).isFalse();
        assertThat(fetched.paymentMethodId()).isNull();
        assertThat(fetched.checkoutUrl()).isNotNull();
    }

    @Test
    void an_expired_session_is_expired_and_unpaid() {
        CheckoutSession created = openCheckout(700);
        fake.expireCheckout(created.id());

        CheckoutSession fetched = gateway.fetchCheckoutSession(created.id()).orElseThrow();

        assertThat(fetched.state()).isEqualTo(CheckoutState.EXPIRED);
        assertThat(fetched.paid()).isFalse();
    }

    @Test
    void a_session_stripe_does_not_know_is_empty() {
        Optional<CheckoutSession> fetched = gateway.fetchCheckoutSession("cs_test_unknown123");

        assertThat(fetched).isEmpty();
        assertThat(fake.onlyRequest("GET", "/v1/checkout/sessions/").status()).isEqualTo(404);
    }

    @Test
    void a_session_id_that_is_not_a_stripe_session_id_is_unknown_without_asking_stripe() {
        assertThat(gateway.fetchCheckoutSession("../customers/cus_1")).isEmpty();
        assertThat(gateway.fetchCheckoutSession("")).isEmpty();
        assertThat(gateway.fetchCheckoutSession(null)).isEmpty();
        assertThat(gateway.fetchCheckoutSession("pi_123")).isEmpty();
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void an_outage_while_fetching_a_session_is_a_provider_error() {
        CheckoutSession created = openCheckout(700);
        fake.failNext("GET", "/v1/checkout/sessions/", 1, Fault.serviceUnavailable());

        assertBillingError(() -> gateway.fetchCheckoutSession(created.id()), BillingError.PAYMENT_PROVIDER_ERROR);
    }

    @Test
    void the_org_comes_from_the_metadata_or_else_from_the_client_reference() {
        OrgId other = OrgId.random();
        fake.putCheckoutSession(session("cs_test_meta", Map.of("org_id", org.toString()), null, "usd"));
        fake.putCheckoutSession(session("cs_test_ref", Map.of(), org.toString(), "usd"));
        fake.putCheckoutSession(session("cs_test_none", Map.of(), null, "usd"));
        fake.putCheckoutSession(session("cs_test_bad", Map.of("org_id", "not-a-uuid"), "1-2-3-4-5", "usd"));
        fake.putCheckoutSession(session("cs_test_two", Map.of("org_id", org.toString()), other.toString(), "usd"));
        fake.putCheckoutSession(session("cs_test_eur", Map.of("org_id", org.toString()), org.toString(), "eur"));

        assertThat(orgOf("cs_test_meta")).isEqualTo(org);
        assertThat(orgOf("cs_test_ref")).isEqualTo(org);
        assertThat(orgOf("cs_test_none")).as("no org named").isNull();
        assertThat(orgOf("cs_test_bad")).as("invalid ids").isNull();
        assertThat(orgOf("cs_test_two")).as("two orgs disagree").isNull();
        assertThat(orgOf("cs_test_eur")).as("not US cents").isNull();
    }

    @Test
    void a_session_needing_no_payment_is_not_paid() {
        JsonObject session = session("cs_test_free", Map.of("org_id", org.toString()), null, "usd");
        session.addProperty("status", "complete");
        session.addProperty("payment_status", "no_payment_required");
        fake.putCheckoutSession(session);

        CheckoutSession fetched = gateway.fetchCheckoutSession("cs_test_free").orElseThrow();

        assertThat(fetched.state()).isEqualTo(CheckoutState.COMPLETE);
        assertThat(fetched.paid()).isFalse();
    }

    private OrgId orgOf(String sessionId) {
        return gateway.fetchCheckoutSession(sessionId).orElseThrow().orgId();
    }

    private static JsonObject session(String id, Map<String, String> metadata, String clientReferenceId,
                                      String currency) {
        JsonObject session = new JsonObject();
        session.addProperty("id", id);
        session.addProperty("object", "checkout.session");
        session.addProperty("amount_total", 1000);
        session.addProperty("currency", currency);
        session.addProperty("client_reference_id", clientReferenceId);
        JsonObject meta = new JsonObject();
        metadata.forEach(meta::addProperty);
        session.add("metadata", meta);
        session.addProperty("mode", "payment");
        session.addProperty("status", "open");
        session.addProperty("payment_status", "unpaid");
        return session;
    }
}
