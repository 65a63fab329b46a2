package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;

/** The body of {@code POST /v1/billing/topup} (API.md A5). */
@JsonClassDescription("A card top-up to start")
public record TopupRequest(
        @JsonPropertyDescription("Integer US cents, 500 to the configured maximum (default 1000000)") long amountCents,
        @JsonPropertyDescription("Defaults to the caller's organization") OrgId orgId,
        @JsonPropertyDescription("Where checkout returns after paying (session_id is added); an http(s) URL on an "
                + "allowed origin. Defaults to the server's page") String successUrl,
        @JsonPropertyDescription("Where checkout returns when the customer cancels; an http(s) URL on an allowed "
                + "origin. Defaults to the server's page") String cancelUrl) {
}
