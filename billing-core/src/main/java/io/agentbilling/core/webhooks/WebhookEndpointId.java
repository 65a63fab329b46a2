package io.agentbilling.core.webhooks;

import java.util.Objects;
import java.util.UUID;

/** Identifies a webhook endpoint of an org. */
public record WebhookEndpointId(UUID value) {
    public WebhookEndpointId {
        Objects.requireNonNull(value, "value");
    }

    public static WebhookEndpointId of(String value) {
        return new WebhookEndpointId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
