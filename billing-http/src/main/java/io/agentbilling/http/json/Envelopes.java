package io.agentbilling.http.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.agentbilling.core.error.FieldIssue;
import java.util.List;

/**
 * The response envelopes of spec/API.md §0, as records. Success: {@code {"data": …, "meta": {"requestId": …}}};
 * lists add {@code meta.hasMore} and {@code meta.nextCursor}; errors:
 * {@code {"error": {"code", "message", "requestId", "details"?}}}.
 */
public final class Envelopes {
    private Envelopes() {
    }

    /** A single object (or any JSON value) under {@code data}. */
    @JsonPropertyOrder({"data", "meta"})
    public record Data(Object data, Meta meta) {
    }

    public record Meta(String requestId) {
    }

    /** An array under {@code data}, one page of a list. */
    @JsonPropertyOrder({"data", "meta"})
    public record ListData(List<?> data, ListMeta meta) {
    }

    /** {@code nextCursor} is always present, {@code null} on the last page. */
    @JsonPropertyOrder({"requestId", "hasMore", "nextCursor"})
    public record ListMeta(String requestId, boolean hasMore, String nextCursor) {
    }

    public record Error(ErrorBody error) {
    }

    /** {@code details} appears only when there is at least one field issue. */
    @JsonPropertyOrder({"code", "message", "requestId", "details"})
    public record ErrorBody(
            String code,
            String message,
            String requestId,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldIssue> details) {
    }
}
