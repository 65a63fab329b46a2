package io.agentbilling.core.payment;

import io.agentbilling.core.access.OrgId;
import java.time.Instant;
import java.util.Objects;

/**
 * An org's standing with the payment provider: its customer (one per org) and the card saved for off-session
 * charges, once a checkout saved one.
 *
 * @param paymentMethodId null until a paid checkout saved a card
 */
public record PaymentProfile(OrgId orgId, String customerId, String paymentMethodId, Instant createdAt,
                             Instant updatedAt) {
    /**
     * @param createdAt when it was created
     * @param customerId the provider's customer id
     * @param orgId the organization
     * @param paymentMethodId null until a paid checkout saved a card
     */
    public PaymentProfile {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (customerId.isBlank()) {
            throw new IllegalArgumentException("customerId is blank");
        }
    }

    /**
     * Creates one of the given values.
     *
     * @param orgId the organization
     * @param customerId the provider's customer id
     * @param at the instant
     */
    public static PaymentProfile of(OrgId orgId, String customerId, Instant at) {
        return new PaymentProfile(orgId, customerId, null, at, at);
    }

    /**
     * Has saved payment method?
     *
     * @return whether saved payment method
     */
    public boolean hasSavedPaymentMethod() {
        return paymentMethodId != null;
    }

    /**
     * A copy with another payment method.
     *
     * @param at the instant
     */
    public PaymentProfile withPaymentMethod(String newPaymentMethodId, Instant at) {
        return new PaymentProfile(orgId, customerId, Objects.requireNonNull(newPaymentMethodId), createdAt, at);
    }
}
