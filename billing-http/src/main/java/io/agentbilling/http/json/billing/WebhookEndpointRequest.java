package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.CreateWebhookEndpoint;
import java.util.List;

/** The body of {@code POST /v1/billing/webhook-endpoints}. */
@JsonClassDescription("A webhook endpoint to register")
public record WebhookEndpointRequest(
        @JsonPropertyDescription("Defaults to the caller's organization") OrgId orgId,
        @JsonProperty(required = true)
        @JsonPropertyDescription("Where events are POSTed: an https (or http) URL of at most 2048 characters, on a "
                + "public address unless the operator allows private ones") String url,
        @JsonProperty(required = true)
        @JsonPropertyDescription("The event types to send, at least one: balance.low, balance.depleted, "
                + "budget.threshold, topup.succeeded, topup.failed, auto_topup.succeeded, auto_topup.failed, "
                + "auto_topup.disabled, hold.expired") List<String> events) {

    public CreateWebhookEndpoint.Command toCommand(Caller caller, String idempotencyKey) {
        return new CreateWebhookEndpoint.Command(caller, orgId, url, events, idempotencyKey);
    }
}
