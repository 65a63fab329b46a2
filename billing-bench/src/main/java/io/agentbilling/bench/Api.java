package io.agentbilling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Iterator;

/**
 * The request and response shapes of spec/API.md that the harness speaks, in one place, so that a change of the
 * contract is a change here only. Bodies are built as text (cheap: the generators share the CPU with the server);
 * the values are UUIDs, model names from the built-in catalog and integers, so nothing needs escaping.
 */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    static final String MODEL_USAGE = "/v1/internal/billing/model-usage";
    static final String CREDIT_CHECK = "/v1/internal/billing/credit-check";
    static final String USAGE_BATCH = "/v1/internal/billing/usage-events:batch";
    static final String ORGS = "/v1/internal/orgs";
    static final String MY_USAGE = "/v1/billing/my-usage";
    static final String CREDITS = "/v1/billing/credits";
    static final String PLAN = "/v1/billing/plan";
    static final String HEALTH = "/health";
    /** The kind tag of a model event inside a batch ({@code {"type": "model", …the model-usage body}}). */
    static final String BATCH_MODEL_EVENT_TYPE = "model";

    /** Models of the built-in catalog (DefaultCatalog): settlements are priced by the real price book. */
    static final String[] MODELS = {"gpt-5", "gpt-5-mini", "claude-sonnet-4-5", "claude-haiku-4-5", "gemini-2.5-pro",
        "gemini-2.5-flash"};

    private Api() {}

    /** One model call, as a platform service reports it (API.md Part B {@code model-usage}). */
    record ModelEvent(String orgId, String memberId, String model, long inputTokens, long outputTokens,
                      String occurredAt, String idempotencyKey) {
        void appendJson(StringBuilder json, boolean withType) {
            json.append('{');
            if (withType) {
                json.append("\"type\":\"").append(BATCH_MODEL_EVENT_TYPE).append("\",");
            }
            json.append("\"orgId\":\"").append(orgId).append("\",\"memberId\":\"").append(memberId)
                    .append("\",\"model\":\"").append(model).append("\",\"inputTokens\":").append(inputTokens)
                    .append(",\"outputTokens\":").append(outputTokens).append(",\"byok\":false");
            if (occurredAt != null) {
                json.append(",\"occurredAt\":\"").append(occurredAt).append('"');
            }
            json.append(",\"idempotencyKey\":\"").append(idempotencyKey).append("\"}");
        }
    }

    static String modelUsage(ModelEvent event) {
        StringBuilder json = new StringBuilder(320);
        event.appendJson(json, false);
        return json.toString();
    }

    static String batch(ModelEvent[] events) {
        StringBuilder json = new StringBuilder(events.length * 330 + 16);
        json.append("{\"events\":[");
        for (int i = 0; i < events.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            events[i].appendJson(json, true);
        }
        return json.append("]}").toString();
    }

    static String creditCheck(String orgId) {
        return "{\"orgId\":\"" + orgId + "\",\"estimatedCents\":1}";
    }

    static String createOrg(String name, String idempotencyKey) {
        return "{\"name\":\"" + name + "\",\"plan\":\"free\",\"idempotencyKey\":\"" + idempotencyKey + "\"}";
    }

    static String addMember(String email, String role) {
        return "{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}";
    }

    static String createApiKey(String memberId) {
        return "{\"memberId\":\"" + memberId + "\",\"name\":\"bench\"}";
    }

    static String myUsagePath(String period, String orgId) {
        return MY_USAGE + "?period=" + period + "&all=true&orgId=" + orgId;
    }

    /**
     * {@code code: message} of an error envelope ({@code {"error": {"code", "message", …}}}), or what the body was when
     * it is not one.
     */
    static String errorOf(HttpConnection.Response response) {
        try {
            JsonNode error = JSON.readTree(response.body()).path("error");
            if (error.isObject()) {
                return error.path("code").asText("?") + ": \"" + error.path("message").asText("") + "\"";
            }
        } catch (IOException | RuntimeException e) {
            // not JSON
        }
        return "not an error envelope: " + SettlementLoad.abbreviate(response.text());
    }

    /** The {@code data} of a success envelope. */
    static JsonNode data(HttpConnection.Response response) throws IOException {
        return JSON.readTree(response.body()).path("data");
    }

    /** The id of a created resource: {@code id}, or {@code <kind>Id} as a fallback. */
    static String id(JsonNode data, String kindId) {
        String id = data.path("id").asText("");
        return id.isEmpty() ? data.path(kindId).asText("") : id;
    }

    /** The plain API key in a key-creation response: the one string field that looks like a key. */
    static String plainKey(JsonNode data) {
        if (data.path("key").isTextual()) {
            return data.path("key").asText();
        }
        for (Iterator<JsonNode> it = data.elements(); it.hasNext(); ) {
            JsonNode field = it.next();
            if (field.isTextual() && (field.asText().startsWith("rt_live_") || field.asText().startsWith("rt_test_"))) {
                return field.asText();
            }
        }
        throw new IllegalStateException("no API key in " + data);
    }

    /**
     * The per-event results of a batch response, in request order: {@code data} itself when it is an array, else
     * its first array field ({@code results}, {@code events}…).
     */
    static JsonNode batchResults(JsonNode data) {
        if (data.isArray()) {
            return data;
        }
        for (Iterator<JsonNode> it = data.elements(); it.hasNext(); ) {
            JsonNode field = it.next();
            if (field.isArray()) {
                return field;
            }
        }
        throw new IllegalStateException("no per-event results in the batch response");
    }

    /**
     * An event of a batch was settled (or replayed) rather than refused: {@code {"index", "status": 200, "result":
     * {…charge…}, "error": null}}. The naive baseline answers {@code "status": "settled" | "replayed"}.
     */
    static boolean eventSettled(JsonNode item) {
        if (item.hasNonNull("error")) {
            return false;
        }
        JsonNode status = item.path("status");
        return status.isInt() ? status.asInt() == 200 : status.asText("").equals("settled")
                || status.asText("").equals("replayed");
    }

    /** An event of a batch was answered from its idempotency key. */
    static boolean eventReplayed(JsonNode item) {
        return item.path("result").path("replayed").asBoolean(false) || item.path("status").asText("").equals("replayed");
    }
}
