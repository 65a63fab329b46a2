package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.error.FieldIssue;
import java.util.List;

/** The outcome of one event of a usage batch, in request order. */
public record UsageBatchItem(
        @JsonPropertyDescription("The event's position in the request, from 0") int index,
        @JsonPropertyDescription("What the event's own endpoint would have answered: 200, or 400, 404, 409, 422…")
        int status,
        @JsonPropertyDescription("The charge when status is 200, else null") ChargeView result,
        @JsonPropertyDescription("Why the event was refused, else null") Error error) {

    /** The error of a refused event, as in the error envelope. */
    public record Error(
            String code,
            String message,
            @JsonPropertyDescription("The fields at fault (relative to the event), for a 400")
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldIssue> details) {
    }
}
