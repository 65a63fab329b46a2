package io.agentbilling.stripe.fake;

import java.time.Duration;
import java.util.Objects;

/**
 * Something the {@link FakeStripeServer} does instead of (or on top of) its normal answer, for the next N matching
 * requests. Faults that Stripe would answer before executing anything (5xx, 429, other scripted errors) are not
 * stored under the request's idempotency key, so a retry with the same key executes normally; card errors and
 * delayed answers are executed and stored, so a retry replays them, as Stripe does.
 */
public record Fault(Kind kind, int status, String type, String code, String declineCode, String message,
                    Duration delay, String paymentIntentStatus) {

    public enum Kind {
        /** A 402 card_error; on {@code POST /v1/payment_intents} the failed intent is created and returned in it. */
        CARD_ERROR,
        /** Any error status with a Stripe error body, answered before executing anything. */
        ERROR,
        /** Executes the request normally, stores the result, then waits before answering (past a read timeout). */
        DELAY,
        /**
         * {@code POST /v1/payment_intents} answers 200 with the intent left in {@link #paymentIntentStatus()}
         * ({@code processing}, {@code requires_action}, …) instead of {@code succeeded}.
         */
        PAYMENT_INTENT_STATUS
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.DELAY && (delay == null || delay.isNegative())) {
            throw new IllegalArgumentException("a delay fault needs a non-negative delay");
        }
        if (kind == Kind.PAYMENT_INTENT_STATUS && paymentIntentStatus == null) {
            throw new IllegalArgumentException("a payment intent status fault needs the status");
        }
    }

    /** 402 {@code card_declined} with the issuer's {@code declineCode} (e.g. {@code insufficient_funds}). */
    public static Fault cardDeclined(String declineCode) {
        return new Fault(Kind.CARD_ERROR, 402, "card_error", "card_declined", declineCode,
                "Your card was declined.", null, null);
    }

    public static Fault cardDeclined() {
        return cardDeclined("generic_decline");
    }

    /** 402 {@code authentication_required}: the card needs 3-D Secure, impossible off-session. */
    public static Fault authenticationRequired() {
        return new Fault(Kind.CARD_ERROR, 402, "card_error", "authentication_required", "authentication_required",
                "Your card was declined. This transaction requires authentication.", null, null);
    }

    /** 402 {@code expired_card}. */
    public static Fault expiredCard() {
        return new Fault(Kind.CARD_ERROR, 402, "card_error", "expired_card", null, "Your card has expired.", null, null);
    }

    public static Fault serverError() {
        return error(500, "api_error", null, "An unknown error occurred on Stripe's end (fake).");
    }

    public static Fault serviceUnavailable() {
        return error(503, "api_error", null, "Stripe is temporarily unavailable (fake).");
    }

    public static Fault rateLimited() {
        return error(429, "invalid_request_error", "rate_limit", "Too many requests hit the API too quickly (fake).");
    }

    public static Fault unauthorized() {
        return error(401, "invalid_request_error", null, "Invalid API Key provided (fake).");
    }

    public static Fault error(int status, String type, String code, String message) {
        return new Fault(Kind.ERROR, status, type, code, null, message, null, null);
    }

    /** The request is executed and stored, and the answer is sent after {@code delay}. */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 0, null, null, null, null, delay, null);
    }

    /** The payment intent is created but not settled: a later webhook tells the outcome. */
    public static Fault processing() {
        return paymentIntentStatus("processing");
    }

    public static Fault paymentIntentStatus(String status) {
        return new Fault(Kind.PAYMENT_INTENT_STATUS, 200, null, null, null, null, null, status);
    }
}
