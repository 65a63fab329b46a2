package io.agentbilling.http.server;

import io.agentbilling.http.server.config.ServerConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /openapi.json} of the fully wired server is a valid OpenAPI 3.1 document as a real parser (swagger-parser,
 * which client generators use) reads it: no errors, no warnings, every reference resolved.
 */
class OpenApiValidityTest {

    @Test
    void the_servers_openapi_document_is_valid_openapi_3_1() {
        try (TestApplication app = new TestApplication(Map.of(ServerConfig.METRICS_REQUIRE_SECRET, "true"))) {
            String document = app.get("/openapi.json").body();

            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            options.setValidateInternalRefs(true);
            SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);

            assertThat(result.getMessages()).as("parser messages").isEmpty();
            OpenAPI api = result.getOpenAPI();
            assertThat(api).isNotNull();
            assertThat(api.getSpecVersion()).isEqualTo(SpecVersion.V31);
            assertThat(api.getOpenapi()).isEqualTo("3.1.0");
            assertThat(api.getPaths()).containsKeys("/v1/billing/plan", "/v1/billing/session", "/billing", "/docs");
            assertThat(api.getComponents().getSecuritySchemes()).containsKeys("apiKey", "bearer", "internalSecret",
                    "session");
            assertThat(api.getPaths().get("/metrics").getGet().getSecurity().toString()).contains("internalSecret");
            assertThat(api.getPaths().get("/v1/billing/session").getDelete().getSecurity().toString())
                    .contains("session").doesNotContain("apiKey");
        }
    }

    @Test
    void a_broken_document_is_caught_by_the_same_parser() {
        SwaggerParseResult result = new OpenAPIV3Parser().readContents("{\"openapi\": \"3.1.0\", \"info\": {},"
                + " \"paths\": {\"/x\": {\"get\": {\"responses\": {\"200\": {\"$ref\": \"#/components/responses/none\"}}}}}}",
                null, new ParseOptions());
        assertThat(result.getMessages()).isNotEmpty();
    }
}
