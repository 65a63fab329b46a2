package io.agentbilling.client;

/**
 * 429 {@code rate_limited}, after the retry policy gave up (each retry waited at least the server's
 * {@link #retryAfter()}). The request was refused before it was processed: nothing was written.
 */
public final class RateLimitedException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a rate limited exception.
     */
    public RateLimitedException(Answered answer) {
        super(answer);
    }
}
