package io.agentbilling.http.e2e;

import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.support.Envelopes.error;
import static io.agentbilling.http.support.Envelopes.items;
import static io.agentbilling.http.e2e.PublicApi.key;
import static io.agentbilling.http.e2e.PublicApi.submitForm;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonObject;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.stripe.fake.FakeStripeServer;
import io.agentbilling.stripe.fake.RecordedRequest;
import io.agentbilling.stripe.fake.StripeEvents;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The top-up flow on a server configured for Stripe, against the fake Stripe server driven by the real stripe-java
 * client: the checkout session Stripe is asked for, crediting exactly once whichever of the success page and the
 * webhook comes first, webhook signatures and redeliveries, and the local checkout pages being gone.
 */
class StripeTopupTest {
    private static final String WEBHOOK_SECRET = "whsec_e2e_0123456789abcdef";
    private static final String WEBHOOK = "/v1/billing/webhooks/stripe";
    private static FakeStripeServer stripe;
    private static TestApplication server;

    @BeforeAll
    static void start() {
        stripe = FakeStripeServer.start();
        server = new TestApplication(Map.of(
                ServerConfig.STRIPE_SECRET_KEY, "sk_test_e2e_0123456789",
                ServerConfig.STRIPE_WEBHOOK_SECRET, WEBHOOK_SECRET,
                ServerConfig.STRIPE_API_BASE, stripe.baseUrl()));
    }

    @AfterAll
    static void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            stripe.close();
        }
    }

    private static String startTopup(TestOrg org, long cents) {
        JsonNode topup = data(server.post("/v1/billing/topup", "{\"amountCents\":" + cents + "}", key(org.adminKey())));
        assertThat(topup.path("checkoutUrl").asText()).startsWith(stripe.baseUrl());
        return topup.path("sessionId").asText();
    }

    private static Answer deliver(String payload) {
        return server.post(WEBHOOK, payload, "Stripe-Signature", StripeEvents.signatureHeader(payload, WEBHOOK_SECRET));
    }

    private static long balanceMicros(TestOrg org) {
        return data(server.get("/v1/billing/credits", key(org.memberKey()))).path("balanceMicros").asLong();
    }

    private static List<JsonNode> topups(TestOrg org) {
        return items(data(server.get("/v1/billing/credits/history?type=topup", key(org.memberKey()))));
    }

    @Test
    void the_server_uses_stripe_and_asks_it_for_a_card_saving_usd_checkout_of_exactly_the_amount() {
        TestOrg org = server.newOrg("pro");
        assertThat(server.app.usesLocalCheckout()).isFalse();

        String sessionId = startTopup(org, 2500);

        RecordedRequest created = stripe.requests("POST", "/v1/checkout/sessions").stream()
                .filter(r -> org.orgId().toString().equals(r.param("metadata[org_id]")))
                .reduce((a, b) -> {
                    throw new AssertionError("two sessions for one top-up: " + a + " and " + b);
                }).orElseThrow();
        assertThat(created.param("mode")).isEqualTo("payment");
        assertThat(created.param("line_items[0][price_data][unit_amount]")).isEqualTo("2500");
        assertThat(created.param("line_items[0][price_data][currency]")).isEqualTo("usd");
        assertThat(created.param("line_items[0][quantity]")).isEqualTo("1");
        assertThat(created.param("customer")).startsWith("cus_");
        assertThat(created.param("client_reference_id")).isEqualTo(org.orgId().toString());
        assertThat(created.param("payment_intent_data[setup_future_usage]")).isEqualTo("off_session");
        assertThat(created.param("payment_intent_data[metadata][org_id]")).isEqualTo(org.orgId().toString());
        assertThat(created.param("success_url"))
                .isEqualTo("http://localhost:8080/checkout/success?session_id={CHECKOUT_SESSION_ID}");
        assertThat(created.param("cancel_url")).isEqualTo("http://localhost:8080/checkout/cancelled");
        assertThat(created.idempotencyKey()).isNotBlank();
        assertThat(stripe.customer(created.param("customer")).getAsJsonObject("metadata").get("org_id").getAsString())
                .isEqualTo(org.orgId().toString());
        assertThat(stripe.checkoutSession(sessionId).get("amount_total").getAsLong()).isEqualTo(2500);
        assertThat(balanceMicros(org)).isZero();
    }

    @Test
    void success_first_then_the_webhook_credits_once_and_saves_the_card() {
        TestOrg org = server.newOrg("pro");
        String sessionId = startTopup(org, 2500);
        JsonNode open = data(server.get("/v1/billing/success?session_id=" + sessionId, key(org.memberKey())));
        assertThat(open.path("status").asText()).isEqualTo("open");
        assertThat(open.path("credited").asBoolean(true)).isFalse();

        stripe.payCheckout(sessionId);
        JsonNode verified = data(server.get("/v1/billing/success?session_id=" + sessionId, key(org.memberKey())));
        Answer webhook = deliver(stripe.eventFor("checkout.session.completed", sessionId));
        JsonNode again = data(server.get("/v1/billing/success?session_id=" + sessionId, key(org.adminKey())));

        assertThat(verified.path("status").asText()).isEqualTo("paid");
        assertThat(verified.path("credited").asBoolean()).isTrue();
        assertThat(verified.path("balanceCents").asLong()).isEqualTo(2500);
        assertThat(data(webhook).path("received").asBoolean()).isTrue();
        assertThat(data(webhook).path("outcome").asText()).isEqualTo("processed");
        assertThat(again.path("entryId").asText()).isEqualTo(verified.path("entryId").asText());
        assertThat(balanceMicros(org)).isEqualTo(2_500_000_000L);
        assertThat(topups(org)).hasSize(1);
        assertThat(topups(org).get(0).path("referenceId").asText()).isEqualTo(sessionId);
        assertThat(data(server.get("/v1/billing/auto-topup", key(org.memberKey()))).path("hasSavedPaymentMethod")
                .asBoolean()).isTrue();
    }

    @Test
    void the_webhook_first_then_success_credits_once() {
        TestOrg org = server.newOrg("pro");
        String sessionId = startTopup(org, 4200);
        stripe.payCheckout(sessionId);

        Answer webhook = deliver(stripe.eventFor("checkout.session.completed", sessionId));
        assertThat(data(webhook).path("outcome").asText()).isEqualTo("processed");
        assertThat(balanceMicros(org)).isEqualTo(4_200_000_000L);
        JsonNode verified = data(server.get("/v1/billing/success?session_id=" + sessionId, key(org.memberKey())));

        assertThat(verified.path("credited").asBoolean()).isTrue();
        assertThat(verified.path("amountCents").asLong()).isEqualTo(4200);
        assertThat(verified.path("balanceCents").asLong()).isEqualTo(4200);
        List<JsonNode> topups = topups(org);
        assertThat(topups).hasSize(1);
        assertThat(verified.path("entryId").asText()).isEqualTo(topups.get(0).path("id").asText());
        assertThat(balanceMicros(org)).isEqualTo(4_200_000_000L);
    }

    @Test
    void a_forged_missing_or_stale_signature_is_refused_and_changes_nothing() {
        TestOrg org = server.newOrg("pro");
        String sessionId = startTopup(org, 2500);
        stripe.payCheckout(sessionId);
        String payload = stripe.eventFor("checkout.session.completed", sessionId);

        error(server.post(WEBHOOK, payload, "Stripe-Signature",
                StripeEvents.signatureHeader(payload, "whsec_someone_else")), 400, "bad_request");
        error(server.post(WEBHOOK, payload), 400, "bad_request");
        error(server.post(WEBHOOK, payload, "Stripe-Signature", "t=abc,v1=def"), 400, "bad_request");
        error(server.post(WEBHOOK, payload.replace("\"amount_total\":2500", "\"amount_total\":250000"),
                "Stripe-Signature", StripeEvents.signatureHeader(payload, WEBHOOK_SECRET)), 400, "bad_request");
        long stale = Instant.now().getEpochSecond() - 3600;
        error(server.post(WEBHOOK, payload, "Stripe-Signature",
                StripeEvents.signatureHeader(payload, WEBHOOK_SECRET, stale)), 400, "bad_request");
        assertThat(balanceMicros(org)).isZero();
        assertThat(topups(org)).isEmpty();

        // The refusals did not use up the event: the genuine delivery still applies.
        assertThat(data(deliver(payload)).path("outcome").asText()).isEqualTo("processed");
        assertThat(balanceMicros(org)).isEqualTo(2_500_000_000L);
    }

    @Test
    void the_same_event_delivered_twice_has_one_effect() {
        TestOrg org = server.newOrg("pro");
        String sessionId = startTopup(org, 2500);
        stripe.payCheckout(sessionId);
        String payload = stripe.eventFor("checkout.session.completed", sessionId);

        Answer first = deliver(payload);
        Answer redelivery = deliver(payload);
        // Another event about the same session (Stripe may send several) replays the same credit.
        Answer sibling = deliver(stripe.eventFor("checkout.session.async_payment_succeeded",
                sessionId));

        assertThat(data(first).path("outcome").asText()).isEqualTo("processed");
        assertThat(data(redelivery).path("outcome").asText()).isEqualTo("duplicate");
        assertThat(data(redelivery).path("eventId").asText()).isEqualTo(data(first).path("eventId").asText());
        assertThat(sibling.status()).isEqualTo(200);
        assertThat(balanceMicros(org)).isEqualTo(2_500_000_000L);
        assertThat(topups(org)).hasSize(1);
    }

    @Test
    void events_that_are_not_ours_are_acknowledged_and_change_nothing() {
        TestOrg org = server.newOrg("pro");
        String payload = StripeEvents.event("customer.created", new JsonObject());

        Answer response = deliver(payload);

        assertThat(data(response).path("outcome").asText()).isEqualTo("ignored");
        assertThat(balanceMicros(org)).isZero();
    }

    @Test
    void unknown_sessions_are_not_found_and_the_local_checkout_pages_are_not_served() {
        TestOrg org = server.newOrg("pro");

        error(server.get("/v1/billing/success?session_id=cs_test_doesnotexist", key(org.memberKey())), 404,
                "not_found");
        error(server.get("/checkout/success?session_id=cs_test_x"), 404, "not_found");
        error(server.get("/checkout/cancelled"), 404, "not_found");
        error(server.get("/checkout/cs_local_AAAAAAAAAAAAAAAAAAAAAAAA"), 404, "not_found");
        assertThat(submitForm(server, "/checkout/cs_local_AAAAAAAAAAAAAAAAAAAAAAAA/pay").status()).isEqualTo(404);
        JsonNode paths = server.get("/openapi.json").json().path("paths");
        assertThat(paths.has("/v1/billing/webhooks/stripe")).isTrue();
        assertThat(paths.has("/checkout/{sessionId}")).isFalse();
    }
}
