package io.agentbilling.http.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The checker that holds every end-to-end response to /openapi.json must itself catch drift. */
class OpenApiConformanceTest {
    private static final String DOCUMENT = """
            {"openapi":"3.1.0","paths":{"/v1/things/{id}":{"get":{"responses":{
              "200":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/Thing"}}}},
              "404":{"content":{"application/json":{"schema":{"type":"object","required":["error"],
                     "properties":{"error":{"type":"object"}}}}}}}}}},
             "components":{"schemas":{"Thing":{"type":"object","required":["id","kind"],"properties":{
               "id":{"type":"string"},"kind":{"type":"string","enum":["a","b"]},
               "count":{"type":["integer","null"]},
               "child":{"anyOf":[{"$ref":"#/components/schemas/Child"},{"type":"null"}]}}},
               "Child":{"type":"object","properties":{"n":{"type":"integer"}}}}}}
            """;
    private final OpenApiConformance conformance = new OpenApiConformance(DOCUMENT);

    private static OpenApiConformance.Exchange get(int status, String body) {
        return new OpenApiConformance.Exchange("GET", "/v1/things/42", status, "application/json", body);
    }

    @Test
    void a_conforming_response_passes() {
        assertThat(conformance.check(get(200, "{\"id\":\"x\",\"kind\":\"a\",\"count\":null,\"child\":{\"n\":1}}"))).isEmpty();
        assertThat(conformance.check(get(200, "{\"id\":\"x\",\"kind\":\"b\",\"child\":null}"))).isEmpty();
    }

    @Test
    void drift_is_reported() {
        assertThat(conformance.check(get(200, "{\"kind\":\"a\"}"))).anyMatch(p -> p.contains("$.id is required"));
        assertThat(conformance.check(get(200, "{\"id\":1,\"kind\":\"a\"}"))).anyMatch(p -> p.contains("$.id is NUMBER"));
        assertThat(conformance.check(get(200, "{\"id\":\"x\",\"kind\":\"c\"}"))).anyMatch(p -> p.contains("not one of"));
        assertThat(conformance.check(get(200, "{\"id\":\"x\",\"kind\":\"a\",\"extra\":1}"))).anyMatch(p -> p.contains("not described"));
        assertThat(conformance.check(get(200, "{\"id\":\"x\",\"kind\":\"a\",\"child\":{\"n\":\"1\"}}"))).isNotEmpty();
        assertThat(conformance.check(get(409, "{\"error\":{}}"))).anyMatch(p -> p.contains("status not described"));
        assertThat(conformance.check(new OpenApiConformance.Exchange("GET", "/v1/other", 200, "application/json", "{}")))
                .anyMatch(p -> p.contains("no such route"));
    }
}
