package io.agentbilling.http.routes.internal;

import static io.agentbilling.http.support.TestClient.INTERNAL_SECRET_HEADER;
import static io.agentbilling.http.support.Envelopes.errorNaming;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.assertj.core.api.Assumptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may call the internal API: only a configured service credential in {@code X-Internal-Secret}. Checked on every
 * route, as {@code /openapi.json} lists them, before any body or path parameter is looked at.
 */
class InternalAccessTest {
    /** Every internal route and the status of its first success. */
    private static final Map<String, Integer> ROUTES = new TreeMap<>(Map.ofEntries(
            Map.entry("post /v1/internal/billing/credit-check", 200),
            Map.entry("post /v1/internal/billing/deductions", 200),
            Map.entry("post /v1/internal/billing/holds", 201),
            Map.entry("get /v1/internal/billing/holds/{holdId}", 200),
            Map.entry("delete /v1/internal/billing/holds/{holdId}", 200),
            Map.entry("get /v1/internal/billing/pricing", 200),
            Map.entry("post /v1/internal/billing/model-usage", 200),
            Map.entry("post /v1/internal/billing/sandbox-runtime/quote", 200),
            Map.entry("post /v1/internal/billing/sandbox-runtime/{sandboxId}/start", 201),
            Map.entry("post /v1/internal/billing/sandbox-runtime/{sandboxId}/heartbeat", 200),
            Map.entry("post /v1/internal/billing/sandbox-runtime/{sandboxId}/settle", 200),
            Map.entry("post /v1/internal/billing/storage/quota", 200),
            Map.entry("post /v1/internal/billing/storage/usage", 200),
            Map.entry("post /v1/internal/billing/tool-executions", 200),
            Map.entry("post /v1/internal/billing/resource-charges", 200),
            Map.entry("post /v1/internal/billing/usage-events:batch", 200),
            Map.entry("post /v1/internal/orgs", 201),
            Map.entry("post /v1/internal/orgs/{orgId}/members", 201),
            Map.entry("post /v1/internal/orgs/{orgId}/api-keys", 201),
            Map.entry("delete /v1/internal/orgs/{orgId}/api-keys/{keyId}", 200),
            Map.entry("put /v1/internal/orgs/{orgId}/api-keys/{keyId}/cap", 200),
            Map.entry("post /v1/internal/orgs/{orgId}/grants", 201),
            Map.entry("post /v1/internal/orgs/{orgId}/adjustments", 201),
            Map.entry("get /v1/internal/ledger/verify", 200)));

    private static TestApplication app;
    private static JsonNode openApi;
    private static TestOrg org;

    @BeforeAll
    static void start() {
        app = new TestApplication();
        openApi = app.get("/openapi.json").json();
        org = app.newOrg("free");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    /** method and path, e.g. "post /v1/internal/orgs/{orgId}/members", of every route with this access. */
    private static List<String> routesWithAccess(String... access) {
        List<String> routes = new ArrayList<>();
        openApi.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (List.of(access).contains(op.getValue().path("x-access").asText())) {
                routes.add(op.getKey() + " " + path.getKey());
            }
        }));
        return routes;
    }

    private static Answer call(String route, String... headers) {
        String method = route.substring(0, route.indexOf(' ')).toUpperCase(Locale.ROOT);
        String path = route.substring(route.indexOf(' ') + 1)
                .replace("{orgId}", org.orgId().toString())
                .replace("{keyId}", UUID.randomUUID().toString())
                .replace("{sandboxId}", "sb-access")
                .replace("{holdId}", UUID.randomUUID().toString())
                .replace("{memberId}", org.member().id().toString());
        HttpRequest.BodyPublisher body = method.equals("GET") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{\"bogus\":1}");
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(path)).method(method, body);
        if (!method.equals("GET") && !method.equals("DELETE")) {
            request.header("Content-Type", "application/json");
        }
        return app.send(request, headers);
    }

    @Test
    void the_internal_routes_are_exactly_the_documented_ones_with_their_statuses() {
        assertThat(routesWithAccess("internal")).containsExactlyInAnyOrderElementsOf(ROUTES.keySet());
        ROUTES.forEach((route, status) -> {
            String method = route.substring(0, route.indexOf(' '));
            JsonNode operation = openApi.path("paths").path(route.substring(route.indexOf(' ') + 1)).path(method);
            assertThat(operation.path("responses").has(status.toString())).as(route).isTrue();
            assertThat(operation.path("responses").has("401")).as(route).isTrue();
            assertThat(operation.path("security").toString()).as(route).contains("internalSecret");
            assertThat(operation.path("summary").asText()).as(route).isNotBlank();
            if (method.equals("post")) {
                assertThat(operation.path("requestBody").path("content").path("application/json").path("schema")
                        .path("$ref").asText()).as(route).startsWith("#/components/schemas/");
            }
        });
    }

    @Test
    void without_a_secret_every_internal_route_is_401_unauthorized() {
        for (String route : ROUTES.keySet()) {
            errorNaming(call(route), 401, "unauthorized");
            errorNaming(call(route, INTERNAL_SECRET_HEADER, "  "), 401, "unauthorized");
        }
    }

    @Test
    void a_wrong_secret_is_401_invalid_token() {
        for (String route : ROUTES.keySet()) {
            errorNaming(call(route, INTERNAL_SECRET_HEADER, "not-the-secret-0123456789"), 401, "invalid_token");
            errorNaming(call(route, INTERNAL_SECRET_HEADER, TestApplication.INTERNAL_SECRET + "x"), 401,
                    "invalid_token");
        }
    }

    @Test
    void an_api_key_is_never_accepted_on_an_internal_route_even_an_admins() {
        for (String route : ROUTES.keySet()) {
            errorNaming(call(route, "X-API-Key", org.adminKey()), 401, "unauthorized");
            errorNaming(call(route, "Authorization", "Bearer " + org.adminKey()), 401, "unauthorized");
        }
    }

    @Test
    void with_the_secret_the_route_runs_and_reads_the_body() {
        for (String route : ROUTES.keySet()) {
            Answer response = call(route, INTERNAL_SECRET_HEADER, TestApplication.INTERNAL_SECRET);
            assertThat(response.status()).as(route + " " + response.body()).isIn(200, 400, 404);
            if (route.startsWith("post")) {
                assertThat(response.status()).as(route).isEqualTo(400);
                assertThat(response.json().path("error").path("details").findValuesAsText("field")).as(route)
                        .contains("bogus");
            }
        }
    }

    @Test
    void the_internal_secret_is_never_accepted_on_a_public_route() {
        List<String> publicRoutes = routesWithAccess("member", "admin");
        Assumptions.assumeThat(publicRoutes).as("no public route is registered on this branch yet").isNotEmpty();
        for (String route : publicRoutes) {
            // A path parameter (a webhook endpoint's id) gets an id of nothing: the credential is refused first.
            String path = route.replaceAll("\\{[^/}]+}", "00000000-0000-4000-8000-000000000000");
            errorNaming(call(path, INTERNAL_SECRET_HEADER, TestApplication.INTERNAL_SECRET), 401, "unauthorized");
        }
    }
}
