package io.agentbilling.client;

/** 404 {@code not_found}: no such organization, session, sandbox or key (or not this caller's). */
public final class NotFoundException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a not found exception.
     */
    public NotFoundException(Answered answer) {
        super(answer);
    }
}
