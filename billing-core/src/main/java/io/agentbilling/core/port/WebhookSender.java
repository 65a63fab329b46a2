package io.agentbilling.core.port;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends one signed webhook request to an endpoint: the adapter that owns the network (an HTTP client with its
 * timeouts, the rule on which addresses may be reached, and the signature header). Called by the delivery worker
 * outside any transaction. Implementations are thread-safe and never throw for a failed delivery: a refusal, a
 * timeout or a broken connection is an {@link Outcome} without a status.
 */
public interface WebhookSender {

    /**
     * One event to send.
     *
     * @param secret    the endpoint's signing secret, in plain
     * @param eventId   the event's stable id
     * @param eventType the event's type
     * @param body      the exact JSON body (signed as it is)
     */
    record Request(URI url, String secret, String eventId, String eventType, String body) {
        public Request {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(secret, "secret");
            Objects.requireNonNull(eventId, "eventId");
            Objects.requireNonNull(eventType, "eventType");
            Objects.requireNonNull(body, "body");
        }

        @Override
        public String toString() {
            return "WebhookSender.Request[url=" + url + ", eventId=" + eventId + ", eventType=" + eventType + "]";
        }
    }

    /**
     * @param statusCode the endpoint's HTTP status; null when there was no answer
     * @param error      why there was no answer (or why a status counts as a failure); null on an answer
     */
    record Outcome(Integer statusCode, String error, long durationMillis) {
        public static Outcome answered(int statusCode, long durationMillis) {
            return new Outcome(statusCode, null, durationMillis);
        }

        public static Outcome failed(String error, long durationMillis) {
            return new Outcome(null, Objects.requireNonNull(error, "error"), durationMillis);
        }
    }

    Outcome send(Request request);

    /**
     * Why an endpoint URL may not be registered (e.g. a literal loopback or private address the operator has not
     * allowed), checked when an admin creates it; empty when it may. Needs no network: names are resolved only when
     * sending, where every address is checked again.
     */
    Optional<String> refusal(URI url);

    /** A sender that never reaches anything: every delivery fails. For engines that send no webhooks. */
    WebhookSender NONE = new WebhookSender() {
        @Override
        public Outcome send(Request request) {
            return Outcome.failed("this engine sends no webhooks (no webhook sender configured)", 0);
        }

        @Override
        public Optional<String> refusal(URI url) {
            return Optional.empty();
        }
    };
}
