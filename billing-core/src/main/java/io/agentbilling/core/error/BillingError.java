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
    RATE_LIMITED("rate_limited"),
    PAYMENT_PROVIDER_ERROR("payment_provider_error"),
    /**
     * The server is short of capacity right now (no database connection free in time, a full settlement queue, a
     * settlement no writer could start in time, the database busy past its lock or statement timeouts) while the
     * database itself is reachable: retry shortly with the same key. Apart from {@link #UNAVAILABLE}, which means
     * something the server depends on (the database, the payment provider's configuration) cannot be reached.
     */
    OVERLOADED("overloaded"),
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
