package io.agentbilling.core.webhooks;

import io.agentbilling.core.access.OrgId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Where an org wants its events sent, and which. The signing secret is kept sealed (see
 * {@code io.agentbilling.core.port.SecretSealer}); it is shown in plain once, when the endpoint is created.
 *
 * @param sealedSecret the signing secret as the sealer stored it
 * @param deletedAt    when an admin deleted it (nothing more is sent to it); null while it is live
 */
public record WebhookEndpoint(WebhookEndpointId id, OrgId orgId, String url, Set<WebhookEventType> events,
                              String sealedSecret, Instant createdAt, Instant deletedAt) {
    public WebhookEndpoint {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sealedSecret, "sealedSecret");
        Objects.requireNonNull(createdAt, "createdAt");
        if (events == null || events.isEmpty()) {
            throw new IllegalArgumentException("an endpoint subscribes to at least one event");
        }
        events = Set.copyOf(EnumSet.copyOf(events));
    }

    public boolean isDeleted() {
        return deletedAt != null;
    }

    public boolean wants(WebhookEventType type) {
        return !isDeleted() && events.contains(type);
    }

    public WebhookEndpoint deleted(Instant at) {
        return isDeleted() ? this : new WebhookEndpoint(id, orgId, url, events, sealedSecret, createdAt, at);
    }
}
