package io.agentbilling.stripe;

import com.stripe.Stripe;
import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Charge;
import com.stripe.model.Event;
import com.stripe.model.EventDataObjectDeserializer;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.model.StripeObject;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.payment.PaymentEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a Stripe webhook delivery and translates it into a {@link PaymentEvent}. Immutable and thread-safe.
 *
 * <p>Anything wrong with the delivery (no header, a header that does not parse, a forged or stale signature, a body
 * that is not an event) is {@code BAD_REQUEST}: stripe-java reports these through several exception types, some of
 * them unchecked (a null header is a NullPointerException, {@code t=abc} a NumberFormatException, bad JSON a
 * JsonSyntaxException), and none of them may escape as a 500.
 */
final class StripeWebhooks {
    private static final Logger log = LoggerFactory.getLogger(StripeWebhooks.class);

    /** Stripe's header is a few hundred bytes even with several v1 signatures; anything much longer is not one. */
    static final int MAX_SIGNATURE_HEADER_CHARS = 8 * 1024;

    private final String webhookSecret;
    private final long toleranceSeconds;
    private final Clock clock;

    StripeWebhooks(String webhookSecret, long toleranceSeconds, Clock clock) {
        this.webhookSecret = Objects.requireNonNull(webhookSecret, "webhookSecret");
        this.toleranceSeconds = toleranceSeconds;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    PaymentEvent parse(byte[] payload, String signatureHeader) {
        Event event = verify(payload, signatureHeader);
        String type = event.getType();
        return switch (type) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" ->
                    new PaymentEvent.CheckoutCompleted(event.getId(),
                            StripeMapping.toCheckoutSession(dataObject(event, Session.class)));
            case "checkout.session.async_payment_failed" ->
                    new PaymentEvent.CheckoutFailed(event.getId(),
                            StripeMapping.toCheckoutSession(dataObject(event, Session.class)), "async_payment_failed");
            case "payment_intent.succeeded" -> paymentSucceeded(event.getId(), dataObject(event, PaymentIntent.class));
            case "payment_intent.payment_failed" -> paymentFailed(event.getId(), dataObject(event, PaymentIntent.class));
            case "charge.refunded" -> chargeRefunded(event.getId(), dataObject(event, Charge.class));
            default -> new PaymentEvent.Ignored(event.getId(), type);
        };
    }

    private Event verify(byte[] payload, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            throw bad("the Stripe-Signature header is missing");
        }
        if (signatureHeader.length() > MAX_SIGNATURE_HEADER_CHARS) {
            throw bad("the Stripe-Signature header is too long");
        }
        if (payload == null || payload.length == 0) {
            throw bad("the webhook body is empty");
        }
        // The signature covers the exact bytes Stripe sent; Stripe sends UTF-8 and signs that encoding.
        String body = new String(payload, StandardCharsets.UTF_8);
        Event event;
        try {
            event = Webhook.constructEvent(body, signatureHeader, webhookSecret, toleranceSeconds, clock);
        } catch (SignatureVerificationException e) {
            log.warn("Rejected a Stripe webhook: {}", e.getMessage());
            throw bad("the webhook signature does not verify: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // NullPointerException, NumberFormatException, JsonSyntaxException, IllegalArgumentException (v2 "thin"
            // payloads), IllegalStateException (JSON that is not an object), …: all the caller's input, never ours.
            // The class name stays in the log: the answer names no Java internals (spec/API.md §0).
            log.warn("Rejected a malformed Stripe webhook: {}", e.toString());
            throw bad("the webhook is malformed: its signature header or its body cannot be read", e);
        }
        if (event == null || event.getId() == null || event.getType() == null) {
            throw bad("the webhook body is not a Stripe event");
        }
        return event;
    }

    /**
     * The event's object. {@code getObject()} is empty when the event was rendered with another API version than the
     * SDK's (the webhook endpoint's version is not pinned); the fields we read are stable across versions, so fall
     * back to an unchecked parse and say so in the log, rather than silently dropping a payment.
     */
    private static <T extends StripeObject> T dataObject(Event event, Class<T> type) {
        StripeObject object;
        try {
            EventDataObjectDeserializer deserializer = event.getDataObjectDeserializer();
            // getObject() throws a NullPointerException on an event without api_version (33.3.0).
            Optional<StripeObject> matching = event.getApiVersion() == null ? Optional.empty() : deserializer.getObject();
            if (matching.isPresent()) {
                object = matching.get();
            } else {
                log.warn("Stripe event {} ({}) has API version {}, the SDK expects {}; parsing it anyway. "
                                + "Pin the webhook endpoint's API version to the SDK's.",
                        event.getId(), event.getType(), event.getApiVersion(), Stripe.API_VERSION);
                object = deserializer.deserializeUnsafe();
            }
        } catch (EventDataObjectDeserializationException | RuntimeException e) {
            log.error("Stripe event {} ({}) carries an object that cannot be parsed", event.getId(), event.getType(), e);
            throw bad("the webhook's data object cannot be parsed", e);
        }
        if (!type.isInstance(object)) {
            throw bad("a " + event.getType() + " event must carry a " + type.getSimpleName() + ", got "
                    + (object == null ? "nothing" : object.getClass().getSimpleName()));
        }
        return type.cast(object);
    }

    private static PaymentEvent paymentSucceeded(String eventId, PaymentIntent paymentIntent) {
        return new PaymentEvent.PaymentSucceeded(
                eventId,
                paymentIntent.getId(),
                StripeMapping.attemptOf(paymentIntent.getMetadata(), paymentIntent.getId()),
                usdOrgOf(paymentIntent),
                StripeMapping.amountCentsOf(paymentIntent),
                paymentIntent.getPaymentMethod());
    }

    private static PaymentEvent paymentFailed(String eventId, PaymentIntent paymentIntent) {
        StripeError error = paymentIntent.getLastPaymentError();
        return new PaymentEvent.PaymentFailed(
                eventId,
                paymentIntent.getId(),
                StripeMapping.attemptOf(paymentIntent.getMetadata(), paymentIntent.getId()),
                usdOrgOf(paymentIntent),
                StripeMapping.failureCodeOf(error, "payment_failed"),
                error == null ? null : error.getMessage());
    }

    private static PaymentEvent chargeRefunded(String eventId, Charge charge) {
        OrgId orgId = StripeMapping.orgOf(charge.getMetadata(), charge.getId());
        if (orgId != null && !StripeMapping.isUsd(charge.getCurrency())) {
            log.error("Refunded charge {} is in {}, not usd; reporting it without an org", charge.getId(),
                    charge.getCurrency());
            orgId = null;
        }
        return new PaymentEvent.ChargeRefunded(
                eventId,
                charge.getId(),
                charge.getPaymentIntent(),
                orgId,
                charge.getAmountRefunded() == null ? 0 : charge.getAmountRefunded());
    }

    private static OrgId usdOrgOf(PaymentIntent paymentIntent) {
        OrgId orgId = StripeMapping.orgOf(paymentIntent.getMetadata(), paymentIntent.getId());
        if (orgId != null && !StripeMapping.isUsd(paymentIntent.getCurrency())) {
            log.error("Payment intent {} is in {}, not usd; reporting it without an org", paymentIntent.getId(),
                    paymentIntent.getCurrency());
            return null;
        }
        return orgId;
    }

    private static BillingException bad(String message) {
        return BillingException.of(BillingError.BAD_REQUEST, message);
    }

    private static BillingException bad(String message, Throwable cause) {
        return BillingException.of(BillingError.BAD_REQUEST, message, cause);
    }
}
