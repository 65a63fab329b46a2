package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.usecase.SettlementCommand;
import io.agentbilling.http.json.Json;
import java.util.Map;

/**
 * Reads one event of a usage batch: {@code {"type": <kind>, …}} where the other fields are exactly the body of that
 * kind's own endpoint. The event is parsed as strictly as that body (unknown fields, wrong types, missing fields are
 * 400 naming the field, relative to the event); the idempotency key must be in the event itself.
 */
public final class UsageEvents {
    public static final String TYPE = "type";

    /** The kinds of event a batch accepts, by their {@code type}. */
    private static final Map<String, Class<? extends UsageEventRequest>> KINDS = Map.of(
            "model", ModelUsageRequest.class,
            "tool", ToolExecutionRequest.class,
            "storage", StorageUsageRequest.class,
            "resource", ResourceChargeRequest.class,
            "deduction", DeductionRequest.class);
    private static final String KIND_LIST = "model, tool, storage, resource, deduction";

    private UsageEvents() {
    }

    /** The command of one event, or a 400 {@link BillingException} saying what is wrong with it. */
    public static SettlementCommand read(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw BillingException.invalid("event", "must be a JSON object");
        }
        JsonNode type = event.get(TYPE);
        if (type == null || type.isNull()) {
            throw BillingException.invalid(TYPE, "is required");
        }
        Class<? extends UsageEventRequest> kind = type.isTextual() ? KINDS.get(type.asText()) : null;
        if (kind == null) {
            throw BillingException.invalid(TYPE, "must be one of: " + KIND_LIST);
        }
        ObjectNode fields = ((ObjectNode) event).deepCopy();
        fields.remove(TYPE);
        UsageEventRequest request = Json.parse(Json.writeEscaped(fields), kind);
        return request.toCommand(request.idempotencyKey());
    }
}
