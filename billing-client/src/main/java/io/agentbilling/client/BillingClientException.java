package io.agentbilling.client;

import java.util.List;

/**
 * A call that did not succeed: the server refused it ({@link BillingApiException} and its subclasses), or no answer
 * came within the retry policy ({@link BillingTransportException}).
 *
 * <p>For a write, {@link #idempotencyKey()} is the key every attempt carried. When the outcome is unknown (no answer,
 * a 503 after the last retry) the write may or may not have landed: send it again later <em>with that key</em> and
 * the server settles it once or replays it, never twice.
 */
public abstract class BillingClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;
    private final String requestId;
    private final transient List<FieldIssue> details;
    private final String idempotencyKey;
    private final int attempts;

    /**
     * Creates a billing client exception.
     *
     * @param message a sentence for a person
     * @param details the fields at fault
     * @param idempotencyKey the caller's idempotency key
     * @param cause the underlying failure, kept for the log
     */
    protected BillingClientException(String message, String code, int status, String requestId,
                                     List<FieldIssue> details, String idempotencyKey, int attempts, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
        this.requestId = requestId;
        this.details = details == null ? List.of() : List.copyOf(details);
        this.idempotencyKey = idempotencyKey;
        this.attempts = attempts;
    }

    /**
     * The machine-readable {@code error.code} ({@code bad_request}, {@code rate_limited}, …).
     */
    public String code() {
        return code;
    }

    /**
     * The HTTP status of the last answer; 0 when no answer came.
     */
    public int status() {
        return status;
    }

    /**
     * The server's {@code requestId} of the last answer (quote it when asking for help); null when none came.
     */
    public String requestId() {
        return requestId;
    }

    /**
     * The fields at fault, for a validation error; empty otherwise.
     */
    public List<FieldIssue> details() {
        return details;
    }

    /**
     * The idempotency key every attempt of this write carried; null for reads and for calls that take no key.
     */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /**
     * How many times the request was sent.
     */
    public int attempts() {
        return attempts;
    }

    /**
     * True when a write may have landed although no success came back (no answer, or a 5xx such as 503
     * {@code unavailable}): sending it again with {@link #idempotencyKey()} is then the way to find out, and is safe.
     * False for a 4xx: the server refused the request and wrote nothing.
     *
     * @return true when it did
     */
    public boolean outcomeUnknown() {
        return status == 0 || status >= 500;
    }
}
