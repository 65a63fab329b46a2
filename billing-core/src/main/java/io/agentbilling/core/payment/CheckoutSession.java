package io.agentbilling.core.payment;

import io.agentbilling.core.access.OrgId;
import java.util.Objects;

/**
 * A checkout session as the payment provider reports it, in core terms.
 *
 * @param orgId           the org the session was created for (from the provider's metadata / client reference);
 *                        null when the provider's copy names none, which the core treats as "not yours"
 * @param amountCents     the amount the session charges, whole US cents
 * @param paymentMethodId the card saved for off-session use, once known
 * @param paymentIntentId the provider's payment id, once known; the ledger credit is keyed on the session id
 */
public record CheckoutSession(
        String id,
        OrgId orgId,
        long amountCents,
        CheckoutState state,
        boolean paid,
        String checkoutUrl,
        String customerId,
        String paymentMethodId,
        String paymentIntentId) {
    /**
     * @param amountCents the amount the session charges, whole US cents
     * @param customerId the provider's customer id
     * @param orgId the org the session was created for (from the provider's metadata / client reference); null when
     *     the provider's copy names none, which the core treats as "not yours"
     * @param paymentIntentId the provider's payment id, once known; the ledger credit is keyed on the session id
     * @param paymentMethodId the card saved for off-session use, once known
     */
    public CheckoutSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }

    /** The provider's session lifecycle. */
    /** Where the payer is in the checkout. */
    public enum CheckoutState {
        /** Not finished yet. */
        OPEN,
        /** Finished: paid, or paid later for an asynchronous method. */
        COMPLETE,
        /** Expired unpaid. */
        EXPIRED
    }
}
