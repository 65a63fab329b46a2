package io.agentbilling.core.error;

/**
 * Every way a use case can refuse. The HTTP layer maps each to a status through one table; the {@link #code()} is
 * the machine-readable {@code error.code} of the API envelope, so tests assert on it and never on message text.
 */
public enum BillingError {
    /** The request is malformed or a field is out of range (HTTP 400); the fields at fault are named. */
    BAD_REQUEST("bad_request"),
    /** No credential, or one that is not accepted (HTTP 401). */
    UNAUTHORIZED("unauthorized"),
    /** A credential that is well-formed but unknown, revoked, expired or signed out (HTTP 401). */
    INVALID_TOKEN("invalid_token"),
    /** The caller may not do this: another org, or an admin action by a member (HTTP 403). */
    FORBIDDEN("forbidden"),
    /** The org, member, key, sandbox or checkout session does not exist, or is another org's (HTTP 404). */
    NOT_FOUND("not_found"),
    /**
     * The request contradicts the state it would change, e.g. settling a sandbox that was settled for good (HTTP
     * 409).
     */
    CONFLICT("conflict"),
    /** The idempotency key was used before with another payload; nothing was written (HTTP 409). */
    IDEMPOTENCY_CONFLICT("idempotency_conflict"),
    /**
     * Well-formed, but a value the engine cannot accept, e.g. usage outside its time window or an amount the ledger
     * cannot take (HTTP 422).
     */
    UNPROCESSABLE("unprocessable"),
    /** A Platform model the price catalog does not price (HTTP 422). */
    UNKNOWN_MODEL("unknown_model"),
    /** Auto top-up needs a card saved by a paid checkout (HTTP 422). */
    PAYMENT_METHOD_REQUIRED("payment_method_required"),
    /** The payment provider declined the charge (HTTP 402). */
    PAYMENT_DECLINED("payment_declined"),
    /** Work not admitted: the org's available credit, a member's budget or a key's cap does not leave enough. */
    INSUFFICIENT_CREDIT("insufficient_credit"),
    /** Too many requests for this key; retry after the time given (HTTP 429). */
    RATE_LIMITED("rate_limited"),
    /** The payment provider failed or did not answer (HTTP 502). */
    PAYMENT_PROVIDER_ERROR("payment_provider_error"),
    /**
     * The server is short of capacity right now (no database connection free in time, a full settlement queue, a
     * settlement no writer could start in time, the database busy past its lock or statement timeouts) while the
     * database itself is reachable: retry shortly with the same key (HTTP 503 with {@code Retry-After}). Apart from
     * {@link #UNAVAILABLE}, which means something the server depends on cannot be reached.
     */
    OVERLOADED("overloaded"),
    /**
     * The database (or another dependency the server needs) cannot be reached; nothing was written, or a retry with
     * the same idempotency key is safe (HTTP 503).
     */
    UNAVAILABLE("unavailable"),
    /** A failure that is a bug, never a refusal of the input (HTTP 500). */
    INTERNAL("internal_error");

    private final String code;

    BillingError(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
