package io.agentbilling.http.e2e;

import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.support.Envelopes.detailField;
import static io.agentbilling.http.support.Envelopes.error;
import static io.agentbilling.http.support.Envelopes.fields;
import static io.agentbilling.http.support.Envelopes.items;
import static io.agentbilling.http.e2e.PublicApi.key;
import static io.agentbilling.http.e2e.PublicApi.pathOf;
import static io.agentbilling.http.e2e.PublicApi.payLocally;
import static io.agentbilling.http.e2e.PublicApi.queryParam;
import static io.agentbilling.http.e2e.PublicApi.submitForm;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * API.md A5–A8 and the local checkout of Part C, on a server without a Stripe key: starting top-ups, paying them on
 * the server's own checkout page, verifying them, auto top-up settings, and the webhook that the local gateway
 * refuses.
 */
class TopupAndLocalCheckoutTest {
    private static final String TOPUP = "/v1/billing/topup";
    private static TestApplication server;

    @BeforeAll
    static void start() {
        server = new TestApplication();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode startTopup(TestOrg org, long cents) {
        return data(server.post(TOPUP, "{\"amountCents\":" + cents + "}", key(org.adminKey())));
    }

    private static long balanceCents(TestOrg org) {
        return data(server.get("/v1/billing/credits", key(org.memberKey()))).path("balanceCents").asLong();
    }

    private static List<JsonNode> entriesOfType(TestOrg org, String type) {
        return items(data(server.get("/v1/billing/credits/history?type=" + type, key(org.memberKey()))));
    }

    // ------------------------------------------------------------------ A5 top-up

    @Test
    void an_admin_starts_a_top_up_and_gets_the_local_checkout_page_nothing_is_credited_yet() {
        TestOrg org = server.newOrg("free");

        Answer response = server.post(TOPUP, "{\"amountCents\":2500}", key(org.adminKey()));
        JsonNode topup = data(response);

        assertThat(fields(topup)).containsExactly("checkoutUrl", "sessionId", "amountCents");
        String sessionId = topup.path("sessionId").asText();
        assertThat(sessionId).matches(PublicApi.LOCAL_SESSION_ID);
        assertThat(topup.path("checkoutUrl").asText()).isEqualTo("http://localhost:8080/checkout/" + sessionId);
        assertThat(topup.path("amountCents").asLong()).isEqualTo(2500);
        assertThat(response.header("Idempotent-Replayed")).isNull();
        assertThat(balanceCents(org)).isEqualTo(500);
        assertThat(entriesOfType(org, "topup")).isEmpty();
    }

    @Test
    void a_top_up_is_for_admins_of_the_org_only() {
        TestOrg org = server.newOrg("free");
        TestOrg other = server.newOrg("free");

        error(server.post(TOPUP, "{\"amountCents\":2500}", key(org.memberKey())), 403, "forbidden");
        error(server.post(TOPUP, "{\"amountCents\":2500}"), 401, "unauthorized");
        error(server.post(TOPUP, "{\"amountCents\":2500,\"orgId\":\"" + other.orgId() + "\"}", key(org.adminKey())),
                403, "forbidden");
        assertThat(server.post(TOPUP, "{\"amountCents\":2500,\"orgId\":\"" + org.orgId() + "\"}",
                key(org.adminKey())).status()).isEqualTo(200);
    }

    @Test
    void a_top_up_refuses_bad_amounts_fields_urls_and_media_types_naming_the_field() {
        TestOrg org = server.newOrg("free");
        String admin = org.adminKey();
        List<List<String>> cases = List.of(
                List.of("{\"amountCents\":499}", "amountCents"),
                List.of("{\"amountCents\":1000001}", "amountCents"),
                List.of("{\"amountCents\":-2500}", "amountCents"),
                List.of("{}", "amountCents"),
                List.of("{\"amountCents\":\"2500\"}", "amountCents"),
                List.of("{\"amountCents\":25.5}", "amountCents"),
                List.of("{\"amountCents\":99999999999999999999999}", "amountCents"),
                List.of("{\"amountCents\":2500,\"amount\":1}", "amount"),
                List.of("{\"amountCents\":2500,\"successUrl\":\"https://evil.example.net/done\"}", "successUrl"),
                List.of("{\"amountCents\":2500,\"successUrl\":\"javascript:alert(1)\"}", "successUrl"),
                List.of("{\"amountCents\":2500,\"cancelUrl\":\"//evil.example.net\"}", "cancelUrl"),
                List.of("{\"amountCents\":2500,\"orgId\":\"nope\"}", "orgId"),
                List.of("{\"amountCents\":2500,\"successUrl\":\"https://app.example.com/done?session_id=cs_x\"}",
                        "successUrl"));
        for (List<String> c : cases) {
            Answer refused = server.post(TOPUP, c.get(0), key(admin));
            error(refused, 400, "bad_request");
            assertThat(detailField(refused)).as(c.get(0)).isEqualTo(c.get(1));
        }
        Answer text = server.send(HttpRequest.newBuilder(server.uri(TOPUP))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("2500")), key(admin));
        error(text, 415, "unsupported_media_type");
        error(server.post(TOPUP, "", key(admin)), 400, "bad_request");
        assertThat(entriesOfType(org, "topup")).isEmpty();
    }

    @Test
    void an_idempotency_key_returns_the_same_session_and_refuses_another_amount() {
        TestOrg org = server.newOrg("free");
        String[] headers = {"X-API-Key", org.adminKey(), "Idempotency-Key", "topup-" + UUID.randomUUID()};

        Answer first = server.post(TOPUP, "{\"amountCents\":2500}", headers);
        Answer retry = server.post(TOPUP, "{\"amountCents\":2500}", headers);

        assertThat(data(retry).path("sessionId").asText()).isEqualTo(data(first).path("sessionId").asText());
        assertThat(data(retry).path("checkoutUrl").asText()).isEqualTo(data(first).path("checkoutUrl").asText());
        assertThat(first.header("Idempotent-Replayed")).isNull();
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        error(server.post(TOPUP, "{\"amountCents\":3000}", headers), 409, "idempotency_conflict");
        JsonNode fresh = startTopup(org, 2500);
        assertThat(fresh.path("sessionId").asText()).isNotEqualTo(data(first).path("sessionId").asText());
    }

    // ------------------------------------------------------------------ local checkout pages

    @Test
    void the_checkout_page_shows_the_amount_with_pay_and_cancel_forms_and_no_scripts() {
        TestOrg org = server.newOrg("free");
        JsonNode topup = startTopup(org, 123_456);
        String sessionId = topup.path("sessionId").asText();

        Answer page = server.get(pathOf(topup.path("checkoutUrl").asText()));

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'none'");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.body()).contains("$1,234.56")
                .contains("<form method=\"post\" action=\"" + sessionId + "/pay\">")
                .contains("<form method=\"post\" action=\"" + sessionId + "/cancel\">")
                .doesNotContain("<script");
        assertThat(server.send(HttpRequest.newBuilder(server.uri(pathOf(topup.path("checkoutUrl").asText())))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
    }

    @Test
    void unknown_or_malformed_sessions_get_a_404_page_that_echoes_nothing() {
        Answer unknown = server.get("/checkout/cs_local_AAAAAAAAAAAAAAAAAAAAAAAA");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.header("Content-Type")).startsWith("text/html");
        assertThat(unknown.body()).contains("Checkout not found");

        Answer hostile = server.get("/checkout/%3Cscript%3Ealert(1)");
        assertThat(hostile.status()).isEqualTo(404);
        assertThat(hostile.body()).doesNotContain("<script").doesNotContain("alert(1)");
        assertThat(submitForm(server, "/checkout/cs_local_AAAAAAAAAAAAAAAAAAAAAAAA/pay").status()).isEqualTo(404);
        assertThat(submitForm(server, "/checkout/cs_local_AAAAAAAAAAAAAAAAAAAAAAAA/cancel").status()).isEqualTo(404);
        Answer landing = server.get("/checkout/success?session_id=%3Cscript%3Ealert(1)%3C/script%3E");
        assertThat(landing.status()).isEqualTo(200);
        assertThat(landing.body()).doesNotContain("<script").contains("GET /v1/billing/success?session_id=");
        Answer json = server.post("/checkout/cs_local_AAAAAAAAAAAAAAAAAAAAAAAA/pay", "{}");
        error(json, 415, "unsupported_media_type");
    }

    @Test
    void cancelling_redirects_to_the_cancel_url_and_leaves_the_session_open() {
        TestOrg org = server.newOrg("free");
        JsonNode topup = startTopup(org, 2500);
        String sessionId = topup.path("sessionId").asText();

        Answer cancelled = submitForm(server, pathOf(topup.path("checkoutUrl").asText()) + "/cancel");

        assertThat(cancelled.status()).isEqualTo(303);
        assertThat(cancelled.header("Location")).isEqualTo("http://localhost:8080/checkout/cancelled");
        Answer landing = server.get(pathOf(cancelled.header("Location")));
        assertThat(landing.status()).isEqualTo(200);
        assertThat(landing.body()).contains("Checkout cancelled").contains("No payment was taken");
        JsonNode verified = data(server.get("/v1/billing/success?session_id=" + sessionId, key(org.memberKey())));
        assertThat(verified.path("status").asText()).isEqualTo("open");
        assertThat(verified.path("credited").asBoolean(true)).isFalse();
        assertThat(balanceCents(org)).isEqualTo(500);
    }

    @Test
    void a_url_too_long_is_refused_for_its_length_not_its_shape() {
        TestOrg org = server.newOrg("free");
        Answer refused = server.post(TOPUP, "{\"amountCents\":2500,\"successUrl\":"
                + "\"https://app.example.com/" + "a".repeat(5_000) + "\"}", key(org.adminKey()));
        assertThat(error(refused, 400, "bad_request").path("details").get(0).path("issue").asText())
                .startsWith("must have at most 2048 characters");
    }

    @Test
    void paying_redirects_to_a_non_ascii_success_url_in_its_percent_encoded_form() {
        for (String path : List.of("/\u00e4", "/\u65e5\u672c")) {
            TestOrg org = server.newOrg("pro");
            JsonNode topup = data(server.post(TOPUP, "{\"amountCents\":1500,\"successUrl\":\"https://app.example.com"
                    + path + "\"}", key(org.adminKey())));
            String location = payLocally(server, topup.path("checkoutUrl").asText());
            String expected = "https://app.example.com"
                    + java.net.URLEncoder.encode(path.substring(1), java.nio.charset.StandardCharsets.UTF_8)
                            .replaceFirst("^", "/")
                    + "?session_id=" + topup.path("sessionId").asText();
            assertThat(location).isEqualTo(expected);
            assertThat(location.chars()).allMatch(c -> c < 0x80);
        }
    }

    @Test
    void paying_redirects_to_the_callers_success_url_with_the_session_id_like_stripe() {
        TestOrg org = server.newOrg("pro");
        JsonNode topup = data(server.post(TOPUP, "{\"amountCents\":1500,"
                + "\"successUrl\":\"https://app.example.com/billing/done?tab=credits#top\","
                + "\"cancelUrl\":\"https://app.example.com/billing\"}", key(org.adminKey())));
        String sessionId = topup.path("sessionId").asText();

        String location = payLocally(server, topup.path("checkoutUrl").asText());

        assertThat(location).isEqualTo("https://app.example.com/billing/done?tab=credits&session_id=" + sessionId
                + "#top");
        Answer cancelAfterPaying = submitForm(server, "/checkout/" + sessionId + "/cancel");
        assertThat(cancelAfterPaying.header("Location")).isEqualTo(location);
    }

    // ------------------------------------------------------------------ A6 success

    @Test
    void paying_credits_once_and_success_reports_the_same_entry_however_often_it_is_asked() {
        TestOrg org = server.newOrg("free");
        JsonNode topup = startTopup(org, 2500);
        String sessionId = topup.path("sessionId").asText();
        JsonNode open = data(server.get("/v1/billing/success?session_id=" + sessionId, key(org.memberKey())));
        assertThat(fields(open)).containsExactly("sessionId", "status", "amountCents", "credited", "balanceCents",
                "balanceMicros", "entryId");
        assertThat(open.path("status").asText()).isEqualTo("open");
        assertThat(open.path("entryId").isNull()).isTrue();

        String location = payLocally(server, topup.path("checkoutUrl").asText());
        assertThat(location).isEqualTo("http://localhost:8080/checkout/success?session_id=" + sessionId);
        assertThat(queryParam(location, "session_id")).isEqualTo(sessionId);
        Answer landing = server.get(pathOf(location));
        assertThat(landing.status()).isEqualTo(200);
        assertThat(landing.body()).contains("Payment received").contains("$25.00")
                .contains("GET /v1/billing/success?session_id=" + sessionId);

        JsonNode first = data(server.get("/v1/billing/success?session_id=" + sessionId, key(org.memberKey())));
        JsonNode second = data(server.get("/v1/billing/success?sessionId=" + sessionId, key(org.adminKey())));
        assertThat(first.path("sessionId").asText()).isEqualTo(sessionId);
        assertThat(first.path("status").asText()).isEqualTo("paid");
        assertThat(first.path("amountCents").asLong()).isEqualTo(2500);
        assertThat(first.path("credited").asBoolean()).isTrue();
        assertThat(first.path("balanceCents").asLong()).isEqualTo(3000);
        assertThat(first.path("balanceMicros").asLong()).isEqualTo(3_000_000_000L);
        assertThat(second).isEqualTo(first);
        // Pressing Pay again (a double click, a back button) changes nothing.
        assertThat(submitForm(server, pathOf(topup.path("checkoutUrl").asText()) + "/pay").header("Location"))
                .isEqualTo(location);
        assertThat(server.get(pathOf(topup.path("checkoutUrl").asText())).body()).contains("Already paid");

        List<JsonNode> topups = entriesOfType(org, "topup");
        assertThat(topups).hasSize(1);
        assertThat(topups.get(0).path("id").asText()).isEqualTo(first.path("entryId").asText());
        assertThat(topups.get(0).path("amountCents").asLong()).isEqualTo(2500);
        assertThat(topups.get(0).path("referenceId").asText()).isEqualTo(sessionId);
        assertThat(balanceCents(org)).isEqualTo(3000);
        JsonNode autoTopup = data(server.get("/v1/billing/auto-topup", key(org.memberKey())));
        assertThat(autoTopup.path("hasSavedPaymentMethod").asBoolean()).isTrue();
    }

    @Test
    void success_needs_a_known_session_of_the_callers_org() {
        TestOrg org = server.newOrg("free");
        TestOrg other = server.newOrg("free");
        String othersSession = startTopup(other, 2500).path("sessionId").asText();
        payLocally(server, "http://localhost:8080/checkout/" + othersSession);

        error(server.get("/v1/billing/success?session_id=" + othersSession, key(org.adminKey())), 404, "not_found");
        error(server.get("/v1/billing/success?session_id=cs_local_AAAAAAAAAAAAAAAAAAAAAAAA", key(org.adminKey())),
                404, "not_found");
        error(server.get("/v1/billing/success?session_id=cs_test_whatever", key(org.adminKey())), 404, "not_found");
        Answer missing = server.get("/v1/billing/success", key(org.adminKey()));
        error(missing, 400, "bad_request");
        assertThat(detailField(missing)).isEqualTo("session_id");
        String mine = startTopup(org, 2500).path("sessionId").asText();
        error(server.get("/v1/billing/success?session_id=" + mine + "&sessionId=" + othersSession,
                key(org.adminKey())), 400, "bad_request");
        error(server.get("/v1/billing/success?session_id=" + "x".repeat(300), key(org.adminKey())), 400,
                "bad_request");
        Answer longAlias = server.get("/v1/billing/success?sessionId=" + "x".repeat(300),
                key(org.adminKey()));
        error(longAlias, 400, "bad_request");
        assertThat(detailField(longAlias)).isEqualTo("sessionId");
        error(server.get("/v1/billing/success?session_id=" + mine), 401, "unauthorized");
        assertThat(balanceCents(org)).isEqualTo(500);
        assertThat(balanceCents(other)).isEqualTo(3000);
    }

    // ------------------------------------------------------------------ A7, A8 auto top-up

    @Test
    void auto_top_up_reads_its_defaults_and_needs_a_saved_card_to_turn_on() {
        TestOrg org = server.newOrg("free");

        JsonNode settings = data(server.get("/v1/billing/auto-topup", key(org.memberKey())));

        assertThat(fields(settings)).containsExactly("enabled", "thresholdCents", "topupAmountCents",
                "hasSavedPaymentMethod", "lastTopupAt", "lastFailureAt", "lastFailureReason", "consecutiveFailures",
                "disabledReason", "mode", "targetBalanceCents", "monthlyCapCents");
        assertThat(settings.toString()).isEqualTo("{\"enabled\":false,\"thresholdCents\":1000,\"topupAmountCents\":2500,"
                + "\"hasSavedPaymentMethod\":false,\"lastTopupAt\":null,\"lastFailureAt\":null,"
                + "\"lastFailureReason\":null,\"consecutiveFailures\":0,\"disabledReason\":null,\"mode\":\"fixed\","
                + "\"targetBalanceCents\":null,\"monthlyCapCents\":null}");
        error(server.put("/v1/billing/auto-topup", "{\"enabled\":true}", key(org.adminKey())), 422,
                "payment_method_required");

        JsonNode changed = data(server.put("/v1/billing/auto-topup", "{\"thresholdCents\":2000}", key(org.adminKey())));
        assertThat(changed.path("enabled").asBoolean(true)).isFalse();
        assertThat(changed.path("thresholdCents").asLong()).isEqualTo(2000);
        assertThat(changed.path("topupAmountCents").asLong()).isEqualTo(2500);
        JsonNode unchanged = data(server.put("/v1/billing/auto-topup", "{}", key(org.adminKey())));
        assertThat(unchanged).isEqualTo(changed);

        payLocally(server, startTopup(org, 1000).path("checkoutUrl").asText());
        JsonNode enabled = data(server.put("/v1/billing/auto-topup", "{\"enabled\":true,\"topupAmountCents\":5000}",
                key(org.adminKey())));
        assertThat(enabled.path("enabled").asBoolean()).isTrue();
        assertThat(enabled.path("thresholdCents").asLong()).isEqualTo(2000);
        assertThat(enabled.path("topupAmountCents").asLong()).isEqualTo(5000);
        assertThat(enabled.path("hasSavedPaymentMethod").asBoolean()).isTrue();
        assertThat(data(server.get("/v1/billing/auto-topup?orgId=" + org.orgId(), key(org.memberKey()))))
                .isEqualTo(enabled);
        JsonNode plan = data(server.get("/v1/billing/plan", key(org.memberKey()))).path("autoTopup");
        assertThat(plan.toString()).isEqualTo("{\"enabled\":true,\"thresholdCents\":2000,\"topupAmountCents\":5000,"
                + "\"hasSavedPaymentMethod\":true}");
        JsonNode disabled = data(server.put("/v1/billing/auto-topup", "{\"enabled\":false}", key(org.adminKey())));
        assertThat(disabled.path("enabled").asBoolean(true)).isFalse();
        assertThat(disabled.path("topupAmountCents").asLong()).isEqualTo(5000);
    }

    @Test
    void auto_top_up_takes_a_target_balance_mode_and_a_monthly_cap() {
        TestOrg org = server.newOrg("free");
        String path = "/v1/billing/auto-topup";
        JsonNode target = data(server.put(path, "{\"mode\":\"target_balance\",\"targetBalanceCents\":10000,"
                + "\"monthlyCapCents\":20000}", key(org.adminKey())));
        assertThat(target.path("mode").asText()).isEqualTo("target_balance");
        assertThat(target.path("targetBalanceCents").asLong()).isEqualTo(10000);
        assertThat(target.path("monthlyCapCents").asLong()).isEqualTo(20000);
        assertThat(data(server.get(path, key(org.memberKey())))).isEqualTo(target);

        // Omitted fields keep their values; the cap is removed on request only.
        JsonNode kept = data(server.put(path, "{\"thresholdCents\":1500}", key(org.adminKey())));
        assertThat(kept.path("mode").asText()).isEqualTo("target_balance");
        assertThat(kept.path("monthlyCapCents").asLong()).isEqualTo(20000);
        JsonNode uncapped = data(server.put(path, "{\"noMonthlyCap\":true,\"mode\":\"fixed\"}", key(org.adminKey())));
        assertThat(uncapped.path("monthlyCapCents").isNull()).isTrue();
        assertThat(uncapped.path("mode").asText()).isEqualTo("fixed");
        assertThat(uncapped.path("targetBalanceCents").asLong()).isEqualTo(10000);

        for (List<String> c : List.of(
                List.of("{\"mode\":\"topup_to\"}", "mode"),
                List.of("{\"mode\":\"target_balance\",\"targetBalanceCents\":1000}", "targetBalanceCents"),
                List.of("{\"targetBalanceCents\":0}", "targetBalanceCents"),
                List.of("{\"monthlyCapCents\":-1}", "monthlyCapCents"),
                List.of("{\"monthlyCapCents\":100,\"noMonthlyCap\":true}", "noMonthlyCap"))) {
            Answer refused = server.put(path, c.get(0), key(org.adminKey()));
            error(refused, 400, "bad_request");
            assertThat(detailField(refused)).as(c.get(0)).isEqualTo(c.get(1));
        }
        assertThat(data(server.get(path, key(org.memberKey())))).isEqualTo(uncapped);
    }

    @Test
    void auto_top_up_updates_are_for_admins_and_are_validated() {
        TestOrg org = server.newOrg("free");
        TestOrg other = server.newOrg("free");
        String path = "/v1/billing/auto-topup";

        error(server.put(path, "{\"thresholdCents\":500}", key(org.memberKey())), 403, "forbidden");
        error(server.put(path, "{\"thresholdCents\":500}"), 401, "unauthorized");
        error(server.put(path, "{\"orgId\":\"" + other.orgId() + "\"}", key(org.adminKey())), 403, "forbidden");
        error(server.get(path + "?orgId=" + other.orgId(), key(org.memberKey())), 403, "forbidden");
        List<List<String>> cases = List.of(
                List.of("{\"thresholdCents\":-1}", "thresholdCents"),
                List.of("{\"thresholdCents\":1000001}", "thresholdCents"),
                List.of("{\"topupAmountCents\":499}", "topupAmountCents"),
                List.of("{\"topupAmountCents\":1000001}", "topupAmountCents"),
                List.of("{\"thresholdCents\":10.5}", "thresholdCents"),
                List.of("{\"enabled\":\"yes\"}", "enabled"),
                List.of("{\"enabled\":1}", "enabled"),
                List.of("{\"threshold\":100}", "threshold"));
        for (List<String> c : cases) {
            Answer refused = server.put(path, c.get(0), key(org.adminKey()));
            error(refused, 400, "bad_request");
            assertThat(detailField(refused)).as(c.get(0)).isEqualTo(c.get(1));
        }
        assertThat(data(server.get(path, key(org.adminKey()))).path("thresholdCents").asLong()).isEqualTo(1000);
    }

    // ------------------------------------------------------------------ webhook with the local gateway

    @Test
    void the_stripe_webhook_refuses_every_delivery_when_the_local_gateway_is_in_use() {
        TestOrg org = server.newOrg("free");
        String sessionId = startTopup(org, 2500).path("sessionId").asText();
        String event = "{\"id\":\"evt_1\",\"type\":\"checkout.session.completed\",\"data\":{\"object\":{\"id\":\""
                + sessionId + "\",\"amount_total\":2500,\"payment_status\":\"paid\",\"status\":\"complete\","
                + "\"metadata\":{\"org_id\":\"" + org.orgId() + "\"}}}}";

        error(server.post("/v1/billing/webhooks/stripe", event, "Stripe-Signature", "t=1,v1=abc"), 400, "bad_request");
        error(server.post("/v1/billing/webhooks/stripe", event), 400, "bad_request");

        assertThat(balanceCents(org)).isEqualTo(500);
        assertThat(entriesOfType(org, "topup")).isEmpty();
        assertThat(server.get("/v1/billing/success?session_id=" + sessionId, key(org.memberKey())).json()
                .path("data").path("credited").asBoolean(true)).isFalse();
    }

    @Test
    void the_openapi_document_describes_the_public_routes_and_the_local_pages() {
        JsonNode paths = server.get("/openapi.json").json().path("paths");

        assertThat(paths.path("/v1/billing/plan").path("get").path("x-access").asText()).isEqualTo("member");
        assertThat(paths.path("/v1/billing/topup").path("post").path("x-access").asText()).isEqualTo("admin");
        assertThat(paths.path("/v1/billing/auto-topup").path("put").path("x-access").asText()).isEqualTo("admin");
        assertThat(paths.path("/v1/billing/auto-topup").path("put").path("responses").has("422")).isTrue();
        assertThat(paths.path("/v1/billing/credits/history").path("get").path("responses").path("200").toString())
                .contains("ListMeta");
        assertThat(paths.path("/v1/billing/webhooks/stripe").path("post").path("security").size()).isZero();
        assertThat(paths.has("/v1/billing/my-usage")).isTrue();
        assertThat(paths.has("/v1/billing/credits")).isTrue();
        assertThat(paths.has("/v1/billing/success")).isTrue();
        assertThat(paths.has("/checkout/{sessionId}")).isTrue();
        assertThat(paths.has("/checkout/{sessionId}/pay")).isTrue();
    }

}
