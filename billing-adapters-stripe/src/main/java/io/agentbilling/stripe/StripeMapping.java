package io.agentbilling.stripe;

import com.stripe.model.PaymentIntent;
import com.stripe.model.SetupIntent;
import com.stripe.model.StripeError;
import com.stripe.model.checkout.Session;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.CheckoutSession.CheckoutState;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stripe model objects to core values. Stateless; Stripe types never leave this package. */
final class StripeMapping {
    private static final Logger log = LoggerFactory.getLogger(StripeMapping.class);

    /** The only currency this gateway charges in; every amount the core sees is US cents. */
    static final String CURRENCY = "usd";
    static final String META_ORG_ID = "org_id";
    static final String META_ATTEMPT_ID = "auto_topup_attempt_id";

    private StripeMapping() {}

    static CheckoutSession toCheckoutSession(Session session) {
        OrgId orgId = orgOf(session.getMetadata(), session.getClientReferenceId(), session.getId());
        if (orgId != null && !isUsd(session.getCurrency())) {
            // Our sessions are always in usd; another currency's minor units are not US cents, so the core must
            // not credit it. A null org is the core's "not yours".
            log.error("Checkout session {} is in {}, not usd; reporting it without an org", session.getId(),
                    session.getCurrency());
            orgId = null;
        }
        return new CheckoutSession(
                session.getId(),
                orgId,
                session.getAmountTotal() == null ? 0 : session.getAmountTotal(),
                stateOf(session),
                "paid".equals(session.getPaymentStatus()),
                session.getUrl(),
                session.getCustomer(),
                paymentMethodOf(session),
                session.getPaymentIntent());
    }

    private static CheckoutState stateOf(Session session) {
        String status = session.getStatus();
        if ("complete".equals(status)) {
            return CheckoutState.COMPLETE;
        }
        if ("expired".equals(status)) {
            return CheckoutState.EXPIRED;
        }
        if (!"open".equals(status)) {
            // Unknown or missing: OPEN is the state that credits nothing and changes nothing.
            log.warn("Checkout session {} has unknown status {}; treating it as open", session.getId(), status);
        }
        return CheckoutState.OPEN;
    }

    /** The saved card: known only when the session's payment_intent (or setup_intent) was expanded. */
    private static String paymentMethodOf(Session session) {
        PaymentIntent paymentIntent = session.getPaymentIntentObject();
        if (paymentIntent != null && paymentIntent.getPaymentMethod() != null) {
            return paymentIntent.getPaymentMethod();
        }
        SetupIntent setupIntent = session.getSetupIntentObject();
        if (setupIntent != null) {
            return setupIntent.getPaymentMethod();
        }
        return null;
    }

    /**
     * The org a Stripe object belongs to, from our metadata, else from the session's client_reference_id. Null when
     * neither names a valid org, or when they disagree.
     */
    static OrgId orgOf(Map<String, String> metadata, String clientReferenceId, String objectId) {
        OrgId fromMetadata = parseOrg(metadata == null ? null : metadata.get(META_ORG_ID), objectId);
        OrgId fromReference = parseOrg(clientReferenceId, objectId);
        if (fromMetadata != null && fromReference != null && !fromMetadata.equals(fromReference)) {
            log.error("Stripe object {} names two orgs ({} in metadata, {} as client_reference_id); trusting neither",
                    objectId, fromMetadata, fromReference);
            return null;
        }
        return fromMetadata != null ? fromMetadata : fromReference;
    }

    static OrgId orgOf(Map<String, String> metadata, String objectId) {
        return orgOf(metadata, null, objectId);
    }

    static AutoTopupAttemptId attemptOf(Map<String, String> metadata, String objectId) {
        UUID uuid = parseUuid(metadata == null ? null : metadata.get(META_ATTEMPT_ID), META_ATTEMPT_ID, objectId);
        return uuid == null ? null : new AutoTopupAttemptId(uuid);
    }

    /** The amount a payment intent actually collected, falling back to the requested amount. */
    static long amountCentsOf(PaymentIntent paymentIntent) {
        Long received = paymentIntent.getAmountReceived();
        if (received != null && received > 0) {
            return received;
        }
        return paymentIntent.getAmount() == null ? 0 : paymentIntent.getAmount();
    }

    /** Stripe's most specific reason: the issuer's decline code when there is one, else the error code. */
    static String failureCodeOf(StripeError error, String fallback) {
        if (error == null) {
            return fallback;
        }
        return firstNonBlank(error.getDeclineCode(), error.getCode(), fallback);
    }

    static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    static boolean isUsd(String currency) {
        return currency == null || CURRENCY.equalsIgnoreCase(currency);
    }

    private static OrgId parseOrg(String value, String objectId) {
        UUID uuid = parseUuid(value, "org id", objectId);
        return uuid == null ? null : new OrgId(uuid);
    }

    private static UUID parseUuid(String value, String what, String objectId) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(value);
            // UUID.fromString accepts short forms such as "1-2-3-4-5"; only the canonical form is ours.
            return uuid.toString().equalsIgnoreCase(value) ? uuid : null;
        } catch (IllegalArgumentException e) {
            log.warn("Stripe object {} carries an invalid {} '{}'; ignoring it", objectId, what, value);
            return null;
        }
    }
}
