package io.agentbilling.core.payment;

import io.agentbilling.core.access.OrgId;
import java.time.Instant;
import java.util.Objects;

/**
 * Our record of a checkout session we opened: whose it is and for how much, so that the success page and the
 * webhook can cross-check the provider's copy, and a retried top-up request (same idempotency key) gets the same
 * session back. Unique by session id, and by (org, idempotency key) when a key was sent.
 *
 * @param idempotencyKey the client's key for the top-up request; null when it sent none
 * @param fingerprint    digest of the request payload (amount and redirect URLs) for key replays
 * @param failureReason  set when the provider reported the payment failed (async payment methods)
 */
public record CheckoutRecord(
        String sessionId,
        OrgId orgId,
        long amountCents,
        String checkoutUrl,
        String idempotencyKey,
        String fingerprint,
        Instant createdAt,
        String failureReason,
        Instant failedAt) {
    /**
     * @param createdAt when it was created
     * @param failureReason set when the provider reported the payment failed (async payment methods)
     * @param fingerprint digest of the request payload (amount and redirect URLs) for key replays
     * @param idempotencyKey the client's key for the top-up request; null when it sent none
     * @param orgId the organization
     * @param sessionId the checkout session id
     */
    public CheckoutRecord {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(createdAt, "createdAt");
        if (amountCents <= 0) {
            throw new IllegalArgumentException("amountCents must be > 0");
        }
        if ((failureReason == null) != (failedAt == null)) {
            throw new IllegalArgumentException("a failure has a reason and a time");
        }
    }

    /**
     * @param sessionId the checkout session id
     * @param orgId the organization
     * @param idempotencyKey the caller's idempotency key
     * @param fingerprint the digest of the request payload
     * @param at the instant
     */
    public static CheckoutRecord opened(String sessionId, OrgId orgId, long amountCents, String checkoutUrl,
                                        String idempotencyKey, String fingerprint, Instant at) {
        return new CheckoutRecord(sessionId, orgId, amountCents, checkoutUrl, idempotencyKey, fingerprint, at,
                null, null);
    }

    /**
     * @param reason why
     * @param at the instant
     */
    public CheckoutRecord failed(String reason, Instant at) {
        return new CheckoutRecord(sessionId, orgId, amountCents, checkoutUrl, idempotencyKey, fingerprint, createdAt,
                reason, at);
    }
}
