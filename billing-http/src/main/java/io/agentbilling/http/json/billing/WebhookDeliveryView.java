package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.webhooks.DeliveryAttempt;
import io.agentbilling.core.webhooks.DeliveryHistory;
import io.agentbilling.core.webhooks.DeliveryStatus;
import io.agentbilling.core.webhooks.WebhookDelivery;
import io.agentbilling.core.webhooks.WebhookDeliveryId;
import io.agentbilling.core.webhooks.WebhookEndpointId;
import java.time.Instant;
import java.util.List;

/** One event's delivery to one endpoint, with its attempts. */
@JsonClassDescription("One event on its way to one endpoint, and every attempt at sending it")
public record WebhookDeliveryView(
        WebhookDeliveryId id,
        WebhookEndpointId endpointId,
        @JsonPropertyDescription("The event's stable id (the body's id and the Billing-Event-Id header): the same on "
                + "every attempt, for the receiver to deduplicate") String eventId,
        String eventType,
        @JsonPropertyDescription("pending, succeeded, failed (the 3-day retry window closed) or canceled (the "
                + "endpoint was deleted)") String status,
        @JsonPropertyDescription("Attempts made so far") int attemptCount,
        @JsonPropertyDescription("While pending: when the next attempt is due; otherwise null") Instant nextAttemptAt,
        @JsonPropertyDescription("Past this a failed attempt ends the delivery as failed") Instant giveUpAt,
        @JsonPropertyDescription("The endpoint's HTTP status at the last attempt; null when it gave none")
        Integer lastResponseCode,
        @JsonPropertyDescription("Why the last attempt got no answer; null when it got one") String lastError,
        Instant createdAt,
        @JsonPropertyDescription("When the endpoint accepted it (2xx); null until then") Instant deliveredAt,
        @JsonPropertyDescription("Every attempt, oldest first") List<Attempt> attempts) {

    /** One attempt at sending. */
    @JsonClassDescription("One attempt at sending an event")
    public record Attempt(
            @JsonPropertyDescription("1 for the first") int number,
            Instant attemptedAt,
            @JsonPropertyDescription("The endpoint's HTTP status; null when no answer came (refused target, "
                    + "timeout, connection failure)") Integer responseCode,
            @JsonPropertyDescription("Why there was no answer; null when there was one") String error,
            long durationMillis) {

        static Attempt of(DeliveryAttempt a) {
            return new Attempt(a.number(), a.attemptedAt(), a.responseCode(), a.error(), a.durationMillis());
        }
    }

    public static WebhookDeliveryView of(DeliveryHistory history) {
        WebhookDelivery d = history.delivery();
        return new WebhookDeliveryView(d.id(), d.endpointId(), d.eventId(), d.eventType().wireName(),
                d.status().wireName(), d.attempts(), d.status() == DeliveryStatus.PENDING ? d.nextAttemptAt() : null,
                d.giveUpAt(), d.lastResponseCode(), d.lastError(), d.createdAt(), d.deliveredAt(),
                history.attempts().stream().map(Attempt::of).toList());
    }
}
