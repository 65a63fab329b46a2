package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.CreateWebhookEndpoint;
import io.agentbilling.core.webhooks.WebhookEndpoint;
import io.agentbilling.core.webhooks.WebhookEndpointId;
import java.time.Instant;
import java.util.List;

/** A webhook endpoint just created, with its signing secret: the only time the secret is shown. */
@JsonClassDescription("A webhook endpoint just registered, with its signing secret (shown this once)")
public record CreatedWebhookEndpointView(
        WebhookEndpointId id,
        OrgId orgId,
        String url,
        List<String> events,
        Instant createdAt,
        @JsonPropertyDescription("whsec_…: the HMAC-SHA256 key of the Billing-Signature header; store it now, it is "
                + "never shown again") String secret) {

    public static CreatedWebhookEndpointView of(CreateWebhookEndpoint.Created created) {
        WebhookEndpoint endpoint = created.endpoint();
        return new CreatedWebhookEndpointView(endpoint.id(), endpoint.orgId(), endpoint.url(),
                WebhookEndpointView.eventNames(endpoint), endpoint.createdAt(), created.secret());
    }

    @Override
    public String toString() {
        return "CreatedWebhookEndpointView[id=" + id + "]";
    }
}
