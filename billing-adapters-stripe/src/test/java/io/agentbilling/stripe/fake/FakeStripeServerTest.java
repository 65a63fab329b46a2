package io.agentbilling.stripe.fake;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fake's own behaviour that the gateway tests do not reach: raw HTTP, the hosted page, auth. */
class FakeStripeServerTest {
    private final FakeStripeServer fake = FakeStripeServer.start();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void the_hosted_checkout_page_pays_and_redirects_to_the_success_url_with_the_session_id() throws Exception {
        String customer = fake.addCustomer();
        HttpResponse<String> created = post("/v1/checkout/sessions", "mode=payment&customer=" + customer
                + "&success_url=https%3A%2F%2Fapp%2Fok%3Fsession_id%3D%7BCHECKOUT_SESSION_ID%7D"
                + "&line_items%5B0%5D%5Bquantity%5D=1&line_items%5B0%5D%5Bprice_data%5D%5Bcurrency%5D=usd"
                + "&line_items%5B0%5D%5Bprice_data%5D%5Bunit_amount%5D=700"
                + "&payment_intent_data%5Bsetup_future_usage%5D=off_session", "key-1");
        assertThat(created.statusCode()).isEqualTo(200);
        String sessionId = fake.checkoutSessions().get(0).get("id").getAsString();
        String url = fake.checkoutSession(sessionId).get("url").getAsString();

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> paid = http.send(HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("700");
        assertThat(paid.statusCode()).isEqualTo(303);
        assertThat(paid.headers().firstValue("Location")).contains("https://app/ok?session_id=" + sessionId);
        assertThat(fake.checkoutSession(sessionId).get("payment_status").getAsString()).isEqualTo("paid");
        String paymentMethod = fake.paymentIntents().get(0).get("payment_method").getAsString();
        assertThat(fake.attachPaymentMethod(customer)).isNotEqualTo(paymentMethod);
    }

    @Test
    void requests_without_a_secret_key_are_refused() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/customers"))
                .header("Authorization", "Bearer pk_test_x").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"error\"");
    }

    @Test
    void an_unknown_route_is_a_stripe_shaped_404() throws Exception {
        HttpResponse<String> response = post("/v1/refunds", "charge=ch_1", "key-2");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("Unrecognized request URL");
    }

    @Test
    void form_bodies_decode_to_stripes_flattened_keys() {
        Map<String, String> params = FormCodec.decode(
                "metadata%5Borg_id%5D=o-1&payment_intent_data%5Bmetadata%5D%5Borg_id%5D=o-2&name=A+B&flag");

        assertThat(params).containsEntry("metadata[org_id]", "o-1").containsEntry("name", "A B")
                .containsEntry("flag", "");
        assertThat(FormCodec.subMap(params, "metadata")).containsExactly(Map.entry("org_id", "o-1"));
        assertThat(FormCodec.subMap(params, "payment_intent_data[metadata]"))
                .containsExactly(Map.entry("org_id", "o-2"));
    }

    @Test
    void scripted_faults_are_used_up_in_order_and_only_on_matching_routes() throws Exception {
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.serverError());
        fake.failNext(1, Fault.rateLimited());

        assertThat(post("/v1/customers", "name=x", "k-1").statusCode()).isEqualTo(429);
        assertThat(post("/v1/customers", "name=x", "k-2").statusCode()).isEqualTo(200);
        assertThat(fake.pendingFaults()).isEqualTo(1);
        assertThat(post("/v1/payment_intents", "amount=100&currency=usd", "k-3").statusCode()).isEqualTo(500);
        assertThat(fake.pendingFaults()).isZero();
    }

    private HttpResponse<String> post(String path, String form, String idempotencyKey) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + path))
                        .header("Authorization", "Bearer sk_test_x")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Idempotency-Key", idempotencyKey)
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
