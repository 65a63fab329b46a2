package io.agentbilling.http.errors;

import io.agentbilling.core.error.BillingError;

/**
 * Every {@code error.code} the API can answer with, and its HTTP status: the one table of spec/API.md §0.
 *
 * <p>Most codes come from the core's {@link BillingError}; the transport-level ones exist only here
 * ({@code method_not_allowed}, {@code payload_too_large}, {@code uri_too_long}, {@code unsupported_media_type},
 * {@code headers_too_large}, {@code http_version_not_supported}). Every status has a code of its own, so a client can
 * act on the code alone: a 431 that said {@code bad_request} read as "my request was malformed".
 *
 * <p>{@code payment_declined} is answered with <b>402 Payment Required</b>: the request was well-formed and
 * authorized, but the card was refused. Stripe's API uses 402 for the same case, and it lets clients tell a declined
 * card apart from a provider outage (502 {@code payment_provider_error}) without parsing the code.
 */
public enum ErrorCode {
    BAD_REQUEST("bad_request", 400),
    UNAUTHORIZED("unauthorized", 401),
    INVALID_TOKEN("invalid_token", 401),
    PAYMENT_DECLINED("payment_declined", 402),
    INSUFFICIENT_CREDIT("insufficient_credit", 402),
    FORBIDDEN("forbidden", 403),
    NOT_FOUND("not_found", 404),
    METHOD_NOT_ALLOWED("method_not_allowed", 405),
    CONFLICT("conflict", 409),
    IDEMPOTENCY_CONFLICT("idempotency_conflict", 409),
    PAYLOAD_TOO_LARGE("payload_too_large", 413),
    URI_TOO_LONG("uri_too_long", 414),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
    UNPROCESSABLE("unprocessable", 422),
    UNKNOWN_MODEL("unknown_model", 422),
    PAYMENT_METHOD_REQUIRED("payment_method_required", 422),
    RATE_LIMITED("rate_limited", 429),
    HEADERS_TOO_LARGE("headers_too_large", 431),
    INTERNAL_ERROR("internal_error", 500),
    PAYMENT_PROVIDER_ERROR("payment_provider_error", 502),
    OVERLOADED("overloaded", 503),
    UNAVAILABLE("unavailable", 503),
    HTTP_VERSION_NOT_SUPPORTED("http_version_not_supported", 505);

    private final String wireCode;
    private final int status;

    ErrorCode(String wireCode, int status) {
        this.wireCode = wireCode;
        this.status = status;
    }

    /** The machine-readable {@code error.code}. */
    public String wireCode() {
        return wireCode;
    }

    public int status() {
        return status;
    }

    /** Exhaustive on purpose: a new {@link BillingError} does not compile until it has a status here. */
    public static ErrorCode of(BillingError error) {
        return switch (error) {
            case BAD_REQUEST -> BAD_REQUEST;
            case UNAUTHORIZED -> UNAUTHORIZED;
            case INVALID_TOKEN -> INVALID_TOKEN;
            case FORBIDDEN -> FORBIDDEN;
            case NOT_FOUND -> NOT_FOUND;
            case CONFLICT -> CONFLICT;
            case IDEMPOTENCY_CONFLICT -> IDEMPOTENCY_CONFLICT;
            case UNPROCESSABLE -> UNPROCESSABLE;
            case UNKNOWN_MODEL -> UNKNOWN_MODEL;
            case PAYMENT_METHOD_REQUIRED -> PAYMENT_METHOD_REQUIRED;
            case PAYMENT_DECLINED -> PAYMENT_DECLINED;
            case INSUFFICIENT_CREDIT -> INSUFFICIENT_CREDIT;
            case RATE_LIMITED -> RATE_LIMITED;
            case PAYMENT_PROVIDER_ERROR -> PAYMENT_PROVIDER_ERROR;
            case OVERLOADED -> OVERLOADED;
            case UNAVAILABLE -> UNAVAILABLE;
            case INTERNAL -> INTERNAL_ERROR;
        };
    }

    /**
     * The code for a bare HTTP status raised outside our code (Javalin's {@code HttpResponseException}s, Jetty's own
     * errors). Statuses without a code of their own fall back to {@code bad_request} (4xx) or
     * {@code internal_error} (5xx and anything else).
     */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 402 -> PAYMENT_DECLINED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 414 -> URI_TOO_LONG;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 422 -> UNPROCESSABLE;
            case 429 -> RATE_LIMITED;
            case 431 -> HEADERS_TOO_LARGE;
            case 502 -> PAYMENT_PROVIDER_ERROR;
            case 503 -> UNAVAILABLE;
            case 505 -> HTTP_VERSION_NOT_SUPPORTED;
            default -> status >= 400 && status < 500 ? BAD_REQUEST : INTERNAL_ERROR;
        };
    }
}
