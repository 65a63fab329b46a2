package io.agentbilling.core.payment;

import java.util.Objects;

/**
 * The outcome of an off-session charge. A card decline or a charge that needs the customer
 * ({@code authentication_required}) is a {@link Status#FAILED} result carrying the provider's reason, not an
 * exception; an unreachable provider is a {@code BillingException(PAYMENT_PROVIDER_ERROR)}.
 */
public record OffSessionChargeResult(String paymentIntentId, Status status, String failureCode, String failureMessage) {
    /**
     * @param paymentIntentId the provider's payment intent id
     */
    public OffSessionChargeResult {
        Objects.requireNonNull(status, "status");
    }

    /** What the provider said about the charge. */
    public enum Status {
        /** Charged. */
        SUCCEEDED,
        /** Accepted; the outcome comes later (a webhook). */
        PROCESSING,
        /** Declined or failed. */
        FAILED
    }

    /**
     * @param paymentIntentId the provider's payment intent id
     */
    public static OffSessionChargeResult succeeded(String paymentIntentId) {
        return new OffSessionChargeResult(paymentIntentId, Status.SUCCEEDED, null, null);
    }

    /**
     * @param paymentIntentId the provider's payment intent id
     * @param message a sentence for a person
     */
    public static OffSessionChargeResult failed(String paymentIntentId, String code, String message) {
        return new OffSessionChargeResult(paymentIntentId, Status.FAILED, code, message);
    }
}
