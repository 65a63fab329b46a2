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
    public PaymentProfile {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (customerId.isBlank()) {
            throw new IllegalArgumentException("customerId is blank");
        }
    }

    public static PaymentProfile of(OrgId orgId, String customerId, Instant at) {
        return new PaymentProfile(orgId, customerId, null, at, at);
    }

    public boolean hasSavedPaymentMethod() {
        return paymentMethodId != null;
    }

    public PaymentProfile withPaymentMethod(String newPaymentMethodId, Instant at) {
        return new PaymentProfile(orgId, customerId, Objects.requireNonNull(newPaymentMethodId), createdAt, at);
    }
}
