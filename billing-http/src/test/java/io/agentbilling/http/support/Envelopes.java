package io.agentbilling.http.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one definition, for every suite, of the documented envelopes: {@code {"data", "meta": {"requestId"}}} for a
 * success and exactly {@code {"error": {code, message, requestId, details?}}} for an error, with no internals in it.
 */
public final class Envelopes {
    /** Text that must never reach a client: stack traces, Java and driver internals, HTML. */
    private static final List<String> INTERNALS = List.of("Exception", "\tat ", "<html", "<HTML", "org.eclipse",
            "io.agentbilling", "com.fasterxml", "org.postgresql", "SQLSTATE", "jdbc:", "java.lang", "java.util");
    private static final Set<String> ERROR_FIELDS = Set.of("code", "message", "requestId", "details");

    private Envelopes() {
    }

    /** {@code data} of a 200 success envelope. */
    public static JsonNode data(Answer answer) {
        return data(answer, 200);
    }

    /** {@code data} of a success envelope with this status; fails with the whole answer otherwise. */
    public static JsonNode data(Answer answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/json");
        JsonNode body = answer.json();
        assertThat(body.path("meta").path("requestId").asText()).as(answer.toString())
                .isNotEmpty().isEqualTo(answer.header("X-Request-Id"));
        return body.path("data");
    }

    /** Asserts the documented error envelope with this status and code; returns the {@code error} object. */
    public static JsonNode error(Answer answer, int status, String code) {
        assertThat(errorProblems(answer, status, code, null)).as(answer.toString()).isEmpty();
        return answer.json().path("error");
    }

    /** {@link #error} whose {@code details} name exactly these fields, in any order (none: no details). */
    public static JsonNode errorNaming(Answer answer, int status, String code, String... detailFields) {
        JsonNode error = error(answer, status, code);
        assertThat(detailFields(answer)).as(answer.toString()).containsExactlyInAnyOrder(detailFields);
        return error;
    }

    /** The fields named by {@code error.details}, in order. */
    public static List<String> detailFields(Answer answer) {
        List<String> fields = new ArrayList<>();
        answer.json().path("error").path("details").forEach(d -> fields.add(d.path("field").asText()));
        return fields;
    }

    /** The field named by the first of {@code error.details}, or null. */
    public static String detailField(Answer answer) {
        return answer.json().path("error").path("details").path(0).path("field").asText(null);
    }

    /** A replay of an earlier success: 200 and {@code Idempotent-Replayed: true}. */
    public static void assertReplayed(Answer answer) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.replayed()).as(answer.toString()).isTrue();
    }

    /** A first answer with this status, not marked as a replay. */
    public static void assertFirstTime(Answer answer, int status) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Idempotent-Replayed")).as(answer.toString()).isNull();
    }

    /** An object's field names, in order. */
    public static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public static List<JsonNode> items(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    /**
     * What is wrong with {@code answer} as the documented error envelope with this status and code (null: any),
     * naming {@code field} in its details when a field is given; empty when nothing is.
     */
    public static List<String> errorProblems(Answer answer, int status, String code, String field) {
        List<String> problems = new ArrayList<>();
        if (answer.status() != status) {
            problems.add("status " + answer.status() + ", expected " + status);
        }
        problems.addAll(envelopeProblems(answer));
        JsonNode error = errorOf(answer);
        if (error != null && code != null && !code.equals(error.path("code").asText())) {
            problems.add("code " + error.path("code").asText() + ", expected " + code);
        }
        if (error != null && field != null) {
            Set<String> fields = new HashSet<>(error.path("details").findValuesAsText("field"));
            if (!fields.contains(field)) {
                problems.add("details name " + fields + ", expected " + field);
            }
        }
        return problems;
    }

    /** What is wrong with {@code answer} as an error envelope of any status and code. */
    public static List<String> envelopeProblems(Answer answer) {
        List<String> problems = new ArrayList<>();
        if (!answer.answered()) {
            problems.add("no answer: " + answer.failure());
            return problems;
        }
        String contentType = answer.header("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            problems.add("content type " + contentType);
        }
        for (String internal : INTERNALS) {
            if (answer.body().contains(internal)) {
                problems.add("the body shows internals (" + internal.strip() + ")");
            }
        }
        JsonNode body = parse(answer.body());
        if (body == null || !body.isObject()) {
            problems.add("the body is not a JSON object");
            return problems;
        }
        List<String> top = fields(body);
        if (!top.equals(List.of("error"))) {
            problems.add("top-level fields " + top + ", expected only error");
        }
        JsonNode error = body.path("error");
        error.fieldNames().forEachRemaining(name -> {
            if (!ERROR_FIELDS.contains(name)) {
                problems.add("unexpected error field " + name);
            }
        });
        if (!error.path("code").isTextual() || !error.path("message").isTextual()
                || error.path("message").asText().isBlank()) {
            problems.add("error without a code and a message");
        }
        String requestId = error.path("requestId").asText("");
        if (requestId.isEmpty() || !requestId.equals(answer.header("X-Request-Id"))) {
            problems.add("requestId " + requestId + " differs from X-Request-Id " + answer.header("X-Request-Id"));
        }
        if (error.has("details")) {
            JsonNode details = error.path("details");
            if (!details.isArray() || details.isEmpty()) {
                problems.add("details present but not a non-empty array");
            } else {
                details.forEach(d -> {
                    if (!d.path("field").isTextual() || !d.path("issue").isTextual()) {
                        problems.add("a detail without field and issue: " + d);
                    }
                });
            }
        }
        return problems;
    }

    /** The {@code error} object, or null when the body is not JSON or has none. */
    public static JsonNode errorOf(Answer answer) {
        JsonNode body = parse(answer.body());
        return body == null ? null : body.get("error");
    }

    /** The body parsed, or null when it is not JSON. */
    public static JsonNode parse(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
