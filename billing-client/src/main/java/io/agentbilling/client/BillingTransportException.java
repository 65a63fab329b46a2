package io.agentbilling.client;

/**
 * No HTTP answer came: the connection was refused or reset, or the request timed out, on every attempt the retry
 * policy allowed. {@link #status()} is 0 and {@link #code()} {@code transport_error}; the cause is the last failure.
 */
public final class BillingTransportException extends BillingClientException {
    private static final long serialVersionUID = 1L;

    public static final String CODE = "transport_error";

    /**
     * Creates a billing transport exception.
     *
     * @param message a sentence for a person
     * @param idempotencyKey the caller's idempotency key
     * @param cause the underlying failure, kept for the log
     */
    public BillingTransportException(String message, String idempotencyKey, int attempts, Throwable cause) {
        super(message, CODE, 0, null, null, idempotencyKey, attempts, cause);
    }
}
