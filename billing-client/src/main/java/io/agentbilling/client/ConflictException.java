package io.agentbilling.client;

/**
 * 409: {@code idempotency_conflict} (the key was used before with another payload: nothing was written) or
 * {@code conflict} (the resource's state forbids it, e.g. settling a closed sandbox meter). Never retried.
 */
public final class ConflictException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    public static final String IDEMPOTENCY_CONFLICT = "idempotency_conflict";

    public ConflictException(Answered answer) {
        super(answer);
    }

    /**
     * The idempotency key was used before with another payload.
     */
    public boolean isIdempotencyConflict() {
        return IDEMPOTENCY_CONFLICT.equals(code());
    }
}
