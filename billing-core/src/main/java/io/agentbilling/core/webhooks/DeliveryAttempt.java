package io.agentbilling.core.webhooks;

import io.agentbilling.core.access.OrgId;
import java.time.Instant;
import java.util.Objects;

/**
 * One try at delivering an event: when, how long it took, and the endpoint's status code, or why there was none.
 *
 * @param number       1 for the first attempt of the delivery
 * @param responseCode the endpoint's HTTP status; null when no answer came (refused target, timeout, …)
 * @param error        why the attempt failed without an answer, or null
 */
public record DeliveryAttempt(OrgId orgId, WebhookDeliveryId deliveryId, int number, Instant attemptedAt,
                              Integer responseCode, String error, long durationMillis) {
    /** The longest error text kept. */
    public static final int MAX_ERROR_LENGTH = 500;

    public DeliveryAttempt {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
        if (number < 1 || durationMillis < 0) {
            throw new IllegalArgumentException("attempts count from 1 and take no negative time");
        }
        if (error != null && error.length() > MAX_ERROR_LENGTH) {
            error = error.substring(0, MAX_ERROR_LENGTH);
        }
    }

    /** Whether the endpoint accepted the event (any 2xx). */
    public boolean succeeded() {
        return responseCode != null && responseCode >= 200 && responseCode < 300;
    }
}
