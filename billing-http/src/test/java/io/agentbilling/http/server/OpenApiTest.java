package io.agentbilling.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.support.TestServer;
import io.javalin.router.ParsedEndpoint;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenApiTest {
    private static TestServer server;
    private static JsonNode document;

    @BeforeAll
    static void start() {
        server = new TestServer();
        document = server.get("/openapi.json").json();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void every_route_javalin_serves_is_described_and_nothing_else() {
        Set<String> served = new HashSet<>();
        for (ParsedEndpoint entry : server.app.unsafe.internalRouter.allHttpHandlers()) {
            // HEAD is served for every GET route and, as usual, not described separately.
            if (entry.endpoint.method.isHttpMethod() && !entry.endpoint.method.name().equals("HEAD")) {
                served.add(entry.endpoint.method.name().toLowerCase(Locale.ROOT) + " " + entry.endpoint.path);
            }
        }
        Set<String> described = new HashSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> described.add(method + " " + path.getKey())));
        assertThat(served).contains("get /health", "get /ready", "get /metrics", "get /openapi.json",
                "post /v1/demo/charges", "delete /v1/demo/things/{thingId}");
        assertThat(described).isEqualTo(served);
    }

    @Test
    void the_document_is_openapi_3_1_with_schemas_from_the_records() {
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
        JsonNode charge = document.path("components").path("schemas").path("ChargeRequest");
        assertThat(charge.path("properties").path("amountCents").path("type").asText()).isEqualTo("integer");
        assertThat(charge.path("properties").path("amountCents").path("format").asText()).isEqualTo("int64");
        assertThat(charge.path("properties").path("amountCents").path("description").asText()).isEqualTo("Integer US cents");
        assertThat(charge.path("properties").path("orgId").path("format").asText()).isEqualTo("uuid");
        assertThat(charge.path("properties").path("at").path("format").asText()).isEqualTo("date-time");
        assertThat(charge.path("required").toString()).contains("amountCents", "description").doesNotContain("orgId");
        JsonNode post = document.path("paths").path("/v1/demo/charges").path("post");
        assertThat(post.path("requestBody").path("content").path("application/json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/ChargeRequest");
        assertThat(post.path("responses").has("201")).isTrue();
        assertThat(post.path("responses").path("409").path("description").asText()).contains("conflict");
        assertThat(post.path("responses").path("415").isMissingNode()).isFalse();
    }

    @Test
    void access_levels_are_described_as_security_requirements() {
        JsonNode paths = document.path("paths");
        assertThat(paths.path("/v1/demo/internal").path("post").path("security").toString()).contains("internalSecret");
        assertThat(paths.path("/v1/demo/admin").path("get").path("x-access").asText()).isEqualTo("admin");
        assertThat(paths.path("/v1/demo/admin").path("get").path("responses").has("403")).isTrue();
        assertThat(paths.path("/v1/demo/member").path("get").path("security").toString()).contains("apiKey", "bearer");
        assertThat(paths.path("/health").path("get").path("security").size()).isZero();
        assertThat(paths.path("/v1/demo/items").path("get").path("responses").path("200").toString()).contains("ListMeta");
        assertThat(paths.path("/v1/demo/things/{thingId}").path("delete").path("parameters").get(0).path("in").asText())
                .isEqualTo("path");
    }
}
