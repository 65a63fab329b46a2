package io.agentbilling.core.port;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.CheckoutRequest;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.OffSessionChargeRequest;
import io.agentbilling.core.payment.OffSessionChargeResult;
import io.agentbilling.core.payment.PaymentEvent;
import java.util.Optional;

/**
 * The payment provider (Stripe in production, a local checkout page on a fresh machine, a fake in tests).
 * Never called inside a database transaction: the core records its intent first, calls out, then records the result.
 * Provider outages surface as {@code BillingException(PAYMENT_PROVIDER_ERROR)}; implementations are thread-safe.
 */
public interface PaymentGateway {

    /**
     * A short name for logs and for the plan endpoint ("stripe", "local", "fake").
     */
    String name();

    /**
     * Creates the provider-side customer for an org. Called once per org; {@code idempotencyKey} is derived from the
     * org id so that a retry after a lost response returns the same customer.
     *
     * @param orgId the organization
     * @param orgName the organization name
     * @param idempotencyKey the caller's idempotency key
     */
    String createCustomer(OrgId orgId, String orgName, String idempotencyKey);

    /**
     * Opens a checkout session (payment mode, card saved for off-session use).
     */
    CheckoutSession createCheckoutSession(CheckoutRequest request);

    /**
     * The provider's current view of a session; empty when the provider does not know it.
     *
     * @param sessionId the checkout session id
     * @return the checkout session, or empty when there is none
     */
    Optional<CheckoutSession> fetchCheckoutSession(String sessionId);

    /**
     * Charges a saved card off-session and confirms at once.
     */
    OffSessionChargeResult chargeOffSession(OffSessionChargeRequest request);

    /**
     * Verifies a webhook delivery (signature and timestamp over the exact raw bytes) and translates it.
     * A missing, malformed, forged or stale signature is {@code BillingException(BAD_REQUEST)}.
     */
    PaymentEvent parseWebhook(byte[] payload, String signatureHeader);
}
