package io.agentbilling.core.webhooks;

import java.util.Objects;
import java.util.UUID;

/** Identifies one delivery of one event to one endpoint (its attempts share it). */
public record WebhookDeliveryId(UUID value) {
    public WebhookDeliveryId {
        Objects.requireNonNull(value, "value");
    }

    public static WebhookDeliveryId of(String value) {
        return new WebhookDeliveryId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
