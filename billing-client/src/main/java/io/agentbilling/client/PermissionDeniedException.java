package io.agentbilling.client;

/** 403 {@code forbidden}: the credential may not do this (a member on an admin call, another organization's {@code orgId}). */
public final class PermissionDeniedException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a permission denied exception.
     */
    public PermissionDeniedException(Answered answer) {
        super(answer);
    }
}
