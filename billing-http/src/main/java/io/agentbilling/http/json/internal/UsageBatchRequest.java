package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.usecase.SettleUsageBatch;
import java.util.List;

/**
 * {@code POST /v1/internal/billing/usage-events:batch}. The events are kept as JSON trees here and read one by one
 * ({@link UsageEvents}), so that a malformed event is refused on its own instead of failing the whole request.
 */
public record UsageBatchRequest(
        @JsonPropertyDescription("1..1000 events, each {\"type\": \"model\"|\"tool\"|\"storage\"|\"resource\"|"
                + "\"deduction\", …the body fields of that kind's own endpoint}")
        @JsonProperty(required = true) List<JsonNode> events) {

    public UsageBatchRequest {
        if (events != null && (events.isEmpty() || events.size() > SettleUsageBatch.MAX_EVENTS)) {
            throw BillingException.invalid("events", "must hold 1 to " + SettleUsageBatch.MAX_EVENTS + " events");
        }
        events = events == null ? null : List.copyOf(events);
    }
}
