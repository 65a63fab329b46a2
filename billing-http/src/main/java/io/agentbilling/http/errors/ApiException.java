package io.agentbilling.http.errors;

import io.agentbilling.core.error.FieldIssue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A refusal decided by the HTTP layer itself (wrong method, body too large, wrong content type, missing credential),
 * as opposed to a {@link io.agentbilling.core.error.BillingException} decided by a use case. Rendered into the same
 * error envelope. May carry response headers ({@code Allow}, {@code WWW-Authenticate}, {@code Retry-After}).
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient List<FieldIssue> details;
    private final transient Map<String, String> headers;

    private ApiException(ErrorCode code, String message, List<FieldIssue> details, Map<String, String> headers) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        this.code = Objects.requireNonNull(code, "code");
        this.details = List.copyOf(details);
        this.headers = Map.copyOf(headers);
    }

    public static ApiException of(ErrorCode code, String message) {
        return new ApiException(code, message, List.of(), Map.of());
    }

    public static ApiException of(ErrorCode code, String message, List<FieldIssue> details) {
        return new ApiException(code, message, details, Map.of());
    }

    /** The same refusal with one more response header. */
    public ApiException withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new ApiException(code, getMessage(), details, more);
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldIssue> details() {
        return details;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
