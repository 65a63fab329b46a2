package io.agentbilling.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbilling.client.service.UsageEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * An event the server refused (its own 4xx in the batch answer, e.g. 400 for a bad field, 404 for an unknown org,
 * 409 for a key reused with another payload, 422 for an unknown model): it is written to the dead-letter file,
 * passed to the reporter's rejection listener, and never sent again.
 *
 * @param eventJson the event as it was spooled and sent ({@code {"type": …, …}})
 * @param status    the status the event's own endpoint would have answered
 */
public record Rejection(String idempotencyKey, String eventJson, int status, String code, String message,
                        List<FieldIssue> details) {
    public Rejection {
        details = details == null ? List.of() : List.copyOf(details);
    }

    /**
     * The event, read back from {@link #eventJson()}.
     */
    public UsageEvent event() {
        return eventOf(eventJson);
    }

    /** Reads a spooled event: {@code {"type": <kind>, …the fields of that kind}}. */
    static UsageEvent eventOf(String json) {
        try {
            JsonNode node = ClientJson.MAPPER.readTree(json);
            Class<? extends UsageEvent> kind = UsageEvent.classOf(node.path("type").asText(null));
            if (kind == null) {
                throw new IllegalArgumentException("not a usage event: " + json);
            }
            ObjectNode fields = ((ObjectNode) node).deepCopy();
            fields.remove("type");
            return ClientJson.MAPPER.treeToValue(fields, kind);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
