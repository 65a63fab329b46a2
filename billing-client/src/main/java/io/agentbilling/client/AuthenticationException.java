package io.agentbilling.client;

/** 401 {@code unauthorized} (no credential) or {@code invalid_token} (unknown, revoked or expired key; wrong secret). */
public final class AuthenticationException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(Answered answer) {
        super(answer);
    }
}
