package io.agentbilling.core.port;

import io.agentbilling.core.payment.CheckoutRequest;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.OffSessionChargeRequest;
import io.agentbilling.core.payment.OffSessionChargeResult;
import io.agentbilling.core.payment.PaymentEvent;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.PaymentGateway;
import java.util.Optional;

/**
 * The gateway of an engine built without one (an embedder that only meters usage): every payment operation is
 * refused with {@code UNAVAILABLE}, so top-ups fail loudly instead of pretending.
 */
public final class NoPaymentGateway implements PaymentGateway {
    private static BillingException refused() {
        return BillingException.of(BillingError.UNAVAILABLE, "no payment provider is configured");
    }

    @Override
    public String name() {
        return "none";
    }

    @Override
    public String createCustomer(OrgId orgId, String orgName, String idempotencyKey) {
        throw refused();
    }

    @Override
    public CheckoutSession createCheckoutSession(CheckoutRequest request) {
        throw refused();
    }

    @Override
    public Optional<CheckoutSession> fetchCheckoutSession(String sessionId) {
        throw refused();
    }

    @Override
    public OffSessionChargeResult chargeOffSession(OffSessionChargeRequest request) {
        throw refused();
    }

    @Override
    public PaymentEvent parseWebhook(byte[] payload, String signatureHeader) {
        throw BillingException.of(BillingError.BAD_REQUEST, "no payment provider is configured to send webhooks");
    }
}
