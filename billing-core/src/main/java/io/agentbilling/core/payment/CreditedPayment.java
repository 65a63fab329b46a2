package io.agentbilling.core.payment;

import io.agentbilling.core.access.OrgId;
import java.time.Instant;
import java.util.Objects;

/**
 * A provider payment (payment intent) whose money reached the ledger, and how much of it has since been refunded
 * to the card, so that a refund notification (which carries the provider's cumulative refunded amount) can be
 * turned into exactly the missing ledger amount and never into more than was credited.
 *
 * @param source        what the credit was: {@code checkout:<sessionId>} or {@code auto_topup:<attemptId>}
 * @param refundedCents refunded to the card and recorded on the ledger so far, 0..creditedCents
 */
public record CreditedPayment(String paymentIntentId, OrgId orgId, String source, long creditedCents,
                              long refundedCents, Instant createdAt) {
    /**
     * @param createdAt when it was created
     * @param orgId the organization
     * @param paymentIntentId the provider's payment intent id
     * @param refundedCents refunded to the card and recorded on the ledger so far, 0..creditedCents
     * @param source what the credit was: {@code checkout:<sessionId>} or {@code auto_topup:<attemptId>}
     */
    public CreditedPayment {
        Objects.requireNonNull(paymentIntentId, "paymentIntentId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(createdAt, "createdAt");
        if (creditedCents <= 0 || refundedCents < 0 || refundedCents > creditedCents) {
            throw new IllegalArgumentException("refunded " + refundedCents + " outside [0, " + creditedCents + "]");
        }
    }

    /**
     * Creates one of the given values.
     *
     * @param paymentIntentId the provider's payment intent id
     * @param orgId the organization
     * @param at the instant
     */
    public static CreditedPayment of(String paymentIntentId, OrgId orgId, String source, long creditedCents,
                                     Instant at) {
        return new CreditedPayment(paymentIntentId, orgId, source, creditedCents, 0, at);
    }

    /**
     * A copy with another refunded.
     */
    public CreditedPayment withRefunded(long newRefundedCents) {
        return new CreditedPayment(paymentIntentId, orgId, source, creditedCents, newRefundedCents, createdAt);
    }
}
