package io.agentbilling.client;

/** 400 {@code bad_request}: the request is malformed or a field is out of range; {@link #details()} names the fields. Never retried: the same request would be refused again. */
public final class InvalidRequestException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a invalid request exception.
     */
    public InvalidRequestException(Answered answer) {
        super(answer);
    }
}
