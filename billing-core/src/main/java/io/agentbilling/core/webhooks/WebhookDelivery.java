package io.agentbilling.core.webhooks;

import io.agentbilling.core.access.OrgId;
import java.time.Instant;
import java.util.Objects;

/**
 * One event on its way to one endpoint: written with the event (in the transaction of the change that caused it),
 * then tried by the delivery worker until the endpoint answers 2xx or the retry window closes.
 *
 * @param attempts         attempts made so far
 * @param nextAttemptAt    when the worker may try next (while pending; a claimed delivery's lease end)
 * @param giveUpAt         past this, a failed attempt ends the delivery as {@code FAILED}
 * @param lastResponseCode the endpoint's status at the last attempt, null when it gave none
 */
public record WebhookDelivery(WebhookDeliveryId id, OrgId orgId, WebhookEndpointId endpointId, String eventId,
                              WebhookEventType eventType, DeliveryStatus status, int attempts, Instant nextAttemptAt,
                              Instant giveUpAt, Instant lastAttemptAt, Integer lastResponseCode, String lastError,
                              Instant createdAt, Instant deliveredAt) {
    public WebhookDelivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(endpointId, "endpointId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(giveUpAt, "giveUpAt");
        Objects.requireNonNull(createdAt, "createdAt");
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts cannot be negative");
        }
    }

    /** A new delivery of an event, due at once. */
    public static WebhookDelivery of(WebhookDeliveryId id, WebhookEndpointId endpointId, WebhookEvent event,
                                     Instant giveUpAt) {
        return new WebhookDelivery(id, event.orgId(), endpointId, event.id(), event.type(), DeliveryStatus.PENDING, 0,
                event.createdAt(), giveUpAt, null, null, null, event.createdAt(), null);
    }

    /** The delivery after {@code attempt}: delivered, due again at {@code retryAt}, or failed when that is null. */
    public WebhookDelivery after(DeliveryAttempt attempt, Instant retryAt) {
        if (attempt.succeeded()) {
            return new WebhookDelivery(id, orgId, endpointId, eventId, eventType, DeliveryStatus.SUCCEEDED,
                    attempt.number(), attempt.attemptedAt(), giveUpAt, attempt.attemptedAt(), attempt.responseCode(),
                    null, createdAt, attempt.attemptedAt());
        }
        DeliveryStatus next = retryAt == null ? DeliveryStatus.FAILED : DeliveryStatus.PENDING;
        return new WebhookDelivery(id, orgId, endpointId, eventId, eventType, next, attempt.number(),
                retryAt == null ? attempt.attemptedAt() : retryAt, giveUpAt, attempt.attemptedAt(),
                attempt.responseCode(), attempt.error(), createdAt, deliveredAt);
    }

    /** Sent again now on an admin's request, with a fresh retry window. */
    public WebhookDelivery retriedManually(Instant now, Instant newGiveUpAt) {
        return new WebhookDelivery(id, orgId, endpointId, eventId, eventType, DeliveryStatus.PENDING, attempts, now,
                newGiveUpAt.isAfter(giveUpAt) ? newGiveUpAt : giveUpAt, lastAttemptAt, lastResponseCode, lastError,
                createdAt, deliveredAt);
    }

    public WebhookDelivery canceled(Instant now) {
        return new WebhookDelivery(id, orgId, endpointId, eventId, eventType, DeliveryStatus.CANCELED, attempts, now,
                giveUpAt, lastAttemptAt, lastResponseCode, "the endpoint was deleted", createdAt, deliveredAt);
    }
}
