package io.agentbilling.core.webhooks;

import java.util.List;
import java.util.Objects;

/** A delivery and its attempts, oldest first: what an admin reads to see whether an event got through. */
public record DeliveryHistory(WebhookDelivery delivery, List<DeliveryAttempt> attempts) {
    public DeliveryHistory {
        Objects.requireNonNull(delivery, "delivery");
        attempts = List.copyOf(attempts);
    }
}
