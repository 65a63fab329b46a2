package io.agentbilling.client;

/**
 * No HTTP answer came: the connection was refused or reset, or the request timed out, on every attempt the retry
 * policy allowed. {@link #status()} is 0 and {@link #code()} {@code transport_error}; the cause is the last failure.
 */
public final class BillingTransportException extends BillingClientException {
    private static final long serialVersionUID = 1L;

    public static final String CODE = "transport_error";

    public BillingTransportException(String message, String idempotencyKey, int attempts, Throwable cause) {
        super(message, CODE, 0, null, null, idempotencyKey, attempts, cause);
    }
}
