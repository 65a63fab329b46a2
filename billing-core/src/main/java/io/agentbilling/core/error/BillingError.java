package io.agentbilling.core.error;

/**
 * Every way a use case can refuse. The HTTP layer maps each to a status through one table; the {@link #code()} is
 * the machine-readable {@code error.code} of the API envelope, so tests assert on it and never on message text.
 */
public enum BillingError {
    BAD_REQUEST("bad_request"),
    UNAUTHORIZED("unauthorized"),
    INVALID_TOKEN("invalid_token"),
    FORBIDDEN("forbidden"),
    NOT_FOUND("not_found"),
    CONFLICT("conflict"),
    IDEMPOTENCY_CONFLICT("idempotency_conflict"),
    UNPROCESSABLE("unprocessable"),
    UNKNOWN_MODEL("unknown_model"),
    PAYMENT_METHOD_REQUIRED("payment_method_required"),
    PAYMENT_DECLINED("payment_declined"),
    /** Work not admitted: the org's available credit, a member's budget or a key's cap does not leave enough. */
    INSUFFICIENT_CREDIT("insufficient_credit"),
    RATE_LIMITED("rate_limited"),
    PAYMENT_PROVIDER_ERROR("payment_provider_error"),
    UNAVAILABLE("unavailable"),
    INTERNAL("internal_error");

    private final String code;

    BillingError(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
