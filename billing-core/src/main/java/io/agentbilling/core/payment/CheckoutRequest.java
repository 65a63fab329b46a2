package io.agentbilling.core.payment;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.util.Objects;

/**
 * What the core asks a payment gateway to open: a one-off card payment of exactly {@code amount} (whole cents) for
 * {@code orgId}, charged to {@code customerId}, saving the card for later off-session charges. The gateway must
 * send {@code idempotencyKey} with the create call so that a retry returns the same session.
 */
public record CheckoutRequest(
        OrgId orgId,
        Credits amount,
        String customerId,
        String successUrl,
        String cancelUrl,
        String idempotencyKey) {
    /**
     * @param cancelUrl where the payer returns when abandoning
     * @param customerId the provider's customer id
     * @param idempotencyKey the caller's idempotency key
     * @param orgId the organization
     * @param successUrl where the payer returns after paying
     */
    public CheckoutRequest {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(successUrl, "successUrl");
        Objects.requireNonNull(cancelUrl, "cancelUrl");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (amount.micros() % Credits.MICROS_PER_CENT != 0 || !amount.isPositive()) {
            throw new IllegalArgumentException("a checkout is for a positive whole number of cents: " + amount);
        }
    }

    public long amountCents() {
        return amount.micros() / Credits.MICROS_PER_CENT;
    }
}
