package io.agentbilling.client;

/** A 5xx other than 503 ({@code internal_error} 500, {@code payment_provider_error} 502). Not retried: for a write the outcome is unknown, and a later retry with the same {@link #idempotencyKey()} is safe. */
public final class ServerErrorException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a server error exception.
     */
    public ServerErrorException(Answered answer) {
        super(answer);
    }
}
