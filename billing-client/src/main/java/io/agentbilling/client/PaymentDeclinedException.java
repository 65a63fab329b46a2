package io.agentbilling.client;

/** 402 {@code payment_declined}: the card was refused. */
public final class PaymentDeclinedException extends BillingApiException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates a payment declined exception.
     */
    public PaymentDeclinedException(Answered answer) {
        super(answer);
    }
}
