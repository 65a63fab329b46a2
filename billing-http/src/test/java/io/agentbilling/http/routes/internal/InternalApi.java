package io.agentbilling.http.routes.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usecase.CheckCredit;
import io.agentbilling.http.e2e.TestApplication;
import io.agentbilling.http.e2e.TestApplication.Response;
import io.agentbilling.http.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Shorthands for the internal API's tests: JSON bodies, envelope checks, the ledger's own view of an org. */
final class InternalApi {
    static final String SECRET_HEADER = "X-Internal-Secret";

    private InternalApi() {
    }

    static JsonNode json(Response response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    /** {@code data} of a success with this status; fails with the whole response otherwise. */
    static JsonNode data(Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("meta").path("requestId").asText()).startsWith("req_");
        return body.path("data");
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** An error envelope with this status and code, and exactly these fields in {@code details} (in any order). */
    static JsonNode assertError(Response response, int status, String code, String... detailFields) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        JsonNode error = json(response).path("error");
        assertThat(error.path("code").asText()).as(response.body()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("requestId").asText()).isEqualTo(response.header("X-Request-Id"));
        List<String> fields = new ArrayList<>();
        error.path("details").forEach(d -> fields.add(d.path("field").asText()));
        assertThat(fields).as(response.body()).containsExactlyInAnyOrder(detailFields);
        return error;
    }

    static void assertReplayed(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.header("Idempotent-Replayed")).isEqualTo("true");
    }

    static void assertFirstTime(Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Idempotent-Replayed")).isNull();
    }

    static Credits balance(TestApplication app, OrgId org) {
        return app.app.billing().checkCredit().execute(new CheckCredit.Command(org, null)).balance();
    }

    static String key() {
        return "key-" + UUID.randomUUID();
    }

    /** A JSON object from alternating names and values; values are written as JSON (strings quoted). */
    static String obj(Object... namesAndValues) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                json.append(',');
            }
            json.append('"').append(namesAndValues[i]).append("\":").append(value(namesAndValues[i + 1]));
        }
        return json.append('}').toString();
    }

    /** Inserts raw JSON (a number like 1.5, an object) where {@link #obj} would quote a string. */
    record Raw(String json) {
    }

    static Raw raw(String json) {
        return new Raw(json);
    }

    private static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Raw raw) {
            return raw.json();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return Json.write(value.toString());
    }
}
