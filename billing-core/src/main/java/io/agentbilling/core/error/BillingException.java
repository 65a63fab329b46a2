package io.agentbilling.core.error;

import java.util.List;
import java.util.Objects;

/**
 * The one exception the core throws for a refused operation. Carries the error kind, a human sentence and, for
 * validation failures, the offending fields. Unchecked: use cases either succeed or throw this.
 */
public final class BillingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final BillingError error;
    private final transient List<FieldIssue> details;

    private BillingException(BillingError error, String message, List<FieldIssue> details, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
        this.details = List.copyOf(details);
    }

    public static BillingException of(BillingError error, String message) {
        return new BillingException(error, message, List.of(), null);
    }

    public static BillingException of(BillingError error, String message, Throwable cause) {
        return new BillingException(error, message, List.of(), cause);
    }

    /** A refusal of any kind naming the fields at fault (e.g. a 422 for a value outside an accepted window). */
    public static BillingException of(BillingError error, String message, List<FieldIssue> details) {
        return new BillingException(error, message, details, null);
    }

    /** The same refusal, with a cause (kept for the log; never shown to a client). */
    public static BillingException of(BillingError error, String message, List<FieldIssue> details, Throwable cause) {
        return new BillingException(error, message, details, cause);
    }

    /** A 422 naming the field: well-formed, but a value the engine cannot accept (e.g. a time outside its window). */
    public static BillingException unprocessable(String field, String issue) {
        return of(BillingError.UNPROCESSABLE, field + " " + issue, List.of(new FieldIssue(field, issue)));
    }

    /** A 400 naming the fields at fault. */
    public static BillingException invalid(String message, List<FieldIssue> details) {
        return new BillingException(BillingError.BAD_REQUEST, message, details, null);
    }

    public static BillingException invalid(String field, String issue) {
        return invalid(field + " " + issue, List.of(new FieldIssue(field, issue)));
    }

    public static BillingException notFound(String what) {
        return of(BillingError.NOT_FOUND, what + " not found");
    }

    public BillingError error() {
        return error;
    }

    public List<FieldIssue> details() {
        return details;
    }
}
