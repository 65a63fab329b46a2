package io.agentbilling.core.payment;

import io.agentbilling.core.access.OrgId;

/**
 * A verified payment-provider notification, translated into core terms by the gateway adapter. Each carries the
 * provider's event id, by which the core processes it at most once.
 */
public sealed interface PaymentEvent {
    String eventId();

    /** checkout.session.completed / checkout.session.async_payment_succeeded (paid or not yet paid). */
    record CheckoutCompleted(String eventId, CheckoutSession session) implements PaymentEvent {}

    /** checkout.session.async_payment_failed. */
    record CheckoutFailed(String eventId, CheckoutSession session, String reason) implements PaymentEvent {}

    /**
     * payment_intent.succeeded; {@code attemptId} is set when the intent was an auto top-up (from its metadata),
     * null for the intent behind a checkout session.
     */
    record PaymentSucceeded(String eventId, String paymentIntentId, AutoTopupAttemptId attemptId, OrgId orgId,
                            long amountCents, String paymentMethodId) implements PaymentEvent {}

    /** payment_intent.payment_failed, with the provider's decline code or error code as the reason. */
    record PaymentFailed(String eventId, String paymentIntentId, AutoTopupAttemptId attemptId, OrgId orgId,
                         String failureCode, String failureMessage) implements PaymentEvent {}

    /**
     * charge.refunded: {@code amountRefundedCents} is the provider's cumulative refunded amount for the charge,
     * so a redelivery or a second partial refund can be turned into exactly the missing ledger amount.
     */
    record ChargeRefunded(String eventId, String chargeId, String paymentIntentId, OrgId orgId,
                          long amountRefundedCents) implements PaymentEvent {}

    /** Any other event type: acknowledged and ignored. */
    record Ignored(String eventId, String type) implements PaymentEvent {}
}
