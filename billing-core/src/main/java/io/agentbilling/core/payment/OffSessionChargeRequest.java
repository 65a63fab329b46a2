package io.agentbilling.core.payment;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.util.Objects;

/**
 * Charge a saved card without the customer present (auto top-up). {@code idempotencyKey} is derived from the attempt
 * id, so that any retry of the same attempt (after a timeout, a 5xx, a crash and restart) can never charge twice.
 */
public record OffSessionChargeRequest(
        AutoTopupAttemptId attemptId,
        OrgId orgId,
        Credits amount,
        String customerId,
        String paymentMethodId,
        String idempotencyKey) {
    /**
     * @param customerId the provider's customer id
     * @param idempotencyKey the caller's idempotency key
     * @param orgId the organization
     */
    public OffSessionChargeRequest {
        Objects.requireNonNull(attemptId, "attemptId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(paymentMethodId, "paymentMethodId");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        if (amount.micros() % Credits.MICROS_PER_CENT != 0 || !amount.isPositive()) {
            throw new IllegalArgumentException("a charge is for a positive whole number of cents: " + amount);
        }
    }

    public long amountCents() {
        return amount.micros() / Credits.MICROS_PER_CENT;
    }
}
