package io.agentbilling.client.billing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One event's delivery to one endpoint ({@code GET /v1/billing/webhook-endpoints/{id}/deliveries}).
 *
 * @param eventId          the event's stable id, the same on every attempt (deduplicate by it)
 * @param status           {@code pending}, {@code succeeded}, {@code failed} or {@code canceled}
 * @param attemptCount     attempts made so far
 * @param nextAttemptAt    while pending, when the next attempt is due; otherwise null
 * @param lastResponseCode the endpoint's HTTP status at the last attempt; null when it gave none
 * @param attempts         every attempt, oldest first
 */
public record WebhookDelivery(UUID id, UUID endpointId, String eventId, String eventType, String status,
                              int attemptCount, Instant nextAttemptAt, Instant giveUpAt, Integer lastResponseCode,
                              String lastError, Instant createdAt, Instant deliveredAt, List<Attempt> attempts) {

    /**
     * One attempt at sending.
     *
     * @param responseCode the endpoint's HTTP status; null when no answer came
     * @param error        why there was no answer; null when there was one
     */
    public record Attempt(int number, Instant attemptedAt, Integer responseCode, String error, long durationMillis) {
    }
}
