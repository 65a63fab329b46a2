package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.webhooks.WebhookEndpoint;
import io.agentbilling.core.webhooks.WebhookEndpointId;
import io.agentbilling.core.webhooks.WebhookEventType;
import java.time.Instant;
import java.util.List;

/** A webhook endpoint as an admin reads it: never its secret. */
@JsonClassDescription("A webhook endpoint of the organization (its signing secret is shown only when it is created)")
public record WebhookEndpointView(
        WebhookEndpointId id,
        OrgId orgId,
        String url,
        @JsonPropertyDescription("The event types sent to it, in a fixed order") List<String> events,
        Instant createdAt,
        @JsonPropertyDescription("When it was deleted; null while it is live") Instant deletedAt) {

    public static WebhookEndpointView of(WebhookEndpoint endpoint) {
        return new WebhookEndpointView(endpoint.id(), endpoint.orgId(), endpoint.url(), eventNames(endpoint),
                endpoint.createdAt(), endpoint.deletedAt());
    }

    static List<String> eventNames(WebhookEndpoint endpoint) {
        return endpoint.events().stream().sorted().map(WebhookEventType::wireName).toList();
    }
}
