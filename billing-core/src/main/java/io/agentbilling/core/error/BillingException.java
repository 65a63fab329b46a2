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

    /**
     * Creates one of the given values.
     *
     * @param error the kind of error
     * @param message a sentence for a person
     */
    public static BillingException of(BillingError error, String message) {
        return new BillingException(error, message, List.of(), null);
    }

    /**
     * Creates one of the given values.
     *
     * @param error the kind of error
     * @param message a sentence for a person
     * @param cause the underlying failure, kept for the log
     */
    public static BillingException of(BillingError error, String message, Throwable cause) {
        return new BillingException(error, message, List.of(), cause);
    }

    /**
     * A refusal of any kind naming the fields at fault (e.g. a 422 for a value outside an accepted window).
     *
     * @param error the kind of error
     * @param message a sentence for a person
     * @param details the fields at fault
     */
    public static BillingException of(BillingError error, String message, List<FieldIssue> details) {
        return new BillingException(error, message, details, null);
    }

    /**
     * Same refusal, with a cause (kept for the log; never shown to a client).
     *
     * @param error the kind of error
     * @param message a sentence for a person
     * @param details the fields at fault
     * @param cause the underlying failure, kept for the log
     */
    public static BillingException of(BillingError error, String message, List<FieldIssue> details, Throwable cause) {
        return new BillingException(error, message, details, cause);
    }

    /**
     * A 422 naming the field: well-formed, but a value the engine cannot accept (e.g. a time outside its window).
     *
     * @param field the request field this is about, named in a refusal
     * @param issue what is wrong with it
     */
    public static BillingException unprocessable(String field, String issue) {
        return of(BillingError.UNPROCESSABLE, field + " " + issue, List.of(new FieldIssue(field, issue)));
    }

    /**
     * A 400 naming the fields at fault.
     *
     * @param message a sentence for a person
     * @param details the fields at fault
     */
    public static BillingException invalid(String message, List<FieldIssue> details) {
        return new BillingException(BillingError.BAD_REQUEST, message, details, null);
    }

    /**
     * @param field the request field this is about, named in a refusal
     * @param issue what is wrong with it
     */
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
