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
                    Duration delay) {

    public enum Kind {
        /** A 402 card_error; on {@code POST /v1/payment_intents} the failed intent is created and returned in it. */
        CARD_ERROR,
        /** Any error status with a Stripe error body, answered before executing anything. */
        ERROR,
        /** Executes the request normally, stores the result, then waits before answering (past a read timeout). */
        DELAY,
        /** {@code POST /v1/payment_intents} creates the intent in status {@code processing}. */
        PROCESSING
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.DELAY && (delay == null || delay.isNegative())) {
            throw new IllegalArgumentException("a delay fault needs a non-negative delay");
        }
    }

    /** 402 {@code card_declined} with the issuer's {@code declineCode} (e.g. {@code insufficient_funds}). */
    public static Fault cardDeclined(String declineCode) {
        return new Fault(Kind.CARD_ERROR, 402, "card_error", "card_declined", declineCode,
                "Your card was declined.", null);
    }

    public static Fault cardDeclined() {
        return cardDeclined("generic_decline");
    }

    /** 402 {@code authentication_required}: the card needs 3-D Secure, impossible off-session. */
    public static Fault authenticationRequired() {
        return new Fault(Kind.CARD_ERROR, 402, "card_error", "authentication_required", "authentication_required",
                "Your card was declined. This transaction requires authentication.", null);
    }

    /** 402 {@code expired_card}. */
    public static Fault expiredCard() {
        return new Fault(Kind.CARD_ERROR, 402, "card_error", "expired_card", null, "Your card has expired.", null);
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
        return new Fault(Kind.ERROR, status, type, code, null, message, null);
    }

    /** The request is executed and stored, and the answer is sent after {@code delay}. */
    public static Fault delay(Duration delay) {
        return new Fault(Kind.DELAY, 0, null, null, null, null, delay);
    }

    public static Fault processing() {
        return new Fault(Kind.PROCESSING, 200, null, null, null, null, null);
    }
}
