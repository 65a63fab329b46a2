package io.agentbilling.client;

/**
 * 503 {@code unavailable} after the retry policy gave up: the server could not reach its database in time. A write
 * usually did not land, but may have: send it again later with the same {@link #idempotencyKey()}.
 */
public final class ServiceUnavailableException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a service unavailable exception.
     */
    public ServiceUnavailableException(Answered answer) {
        super(answer);
    }
}
