package io.agentbilling.http.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.core.usecase.SettlementResult;
import io.agentbilling.http.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shorthands for the public API's end-to-end tests: keys as headers, envelopes, field names, the local checkout. */
final class PublicApi {
    static final Pattern LOCAL_SESSION_ID = Pattern.compile("cs_local_[A-Za-z0-9]{24}");

    private PublicApi() {
    }

    static String[] key(String apiKey) {
        return new String[] {"X-API-Key", apiKey};
    }

    static JsonNode json(TestApplication.Response response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.status() + " " + response.body(), e);
        }
    }

    /** {@code data} of a response that must have {@code status}. */
    static JsonNode data(TestApplication.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        return json(response).path("data");
    }

    static JsonNode data(TestApplication.Response response) {
        return data(response, 200);
    }

    /** Asserts the error envelope with this status and code; returns the {@code error} object. */
    static JsonNode error(TestApplication.Response response, int status, String code) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").asText()).as(response.body()).isEqualTo(code);
        assertThat(error.path("requestId").asText()).startsWith("req_");
        return error;
    }

    /** The field named by the first of {@code details}. */
    static String detailField(TestApplication.Response response) {
        return json(response).path("error").path("details").path(0).path("field").asText(null);
    }

    static Set<String> fields(JsonNode object) {
        Set<String> names = new LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<JsonNode> items(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    /** The path and query of an absolute URL, to request it from the test server whatever host it names. */
    static String pathOf(String url) {
        URI uri = URI.create(url);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    static String queryParam(String url, String name) {
        String query = URI.create(url).getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    static String localSessionIdIn(String text) {
        Matcher matcher = LOCAL_SESSION_ID.matcher(text);
        assertThat(matcher.find()).as(text).isTrue();
        return matcher.group();
    }

    /** A generic debit, straight through the engine (the internal HTTP routes are not this suite's subject). */
    static SettlementResult deduct(TestApplication server, OrgId org, MemberId member, long micros, String resource,
                                   String referenceId) {
        return server.app.billing().settleDeduction().execute(SettleDeduction.Command.builder()
                .orgId(org).memberId(member).amountMicros(micros).resource(resource).description("test debit")
                .referenceId(referenceId).idempotencyKey("debit-" + UUID.randomUUID()).build());
    }

    /** POSTs an empty HTML form, as a browser pressing a button does. */
    static TestApplication.Response submitForm(TestApplication server, String path) {
        return server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Pays a local checkout as a person would: opens its page, presses Pay; returns the 303's {@code Location}.
     */
    static String payLocally(TestApplication server, String checkoutUrl) {
        TestApplication.Response page = server.get(pathOf(checkoutUrl));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        String sessionId = localSessionIdIn(checkoutUrl);
        assertThat(page.body()).contains("action=\"" + sessionId + "/pay\"");
        TestApplication.Response paid = submitForm(server, pathOf(checkoutUrl) + "/pay");
        assertThat(paid.status()).as(paid.body()).isEqualTo(303);
        return paid.header("Location");
    }
}
