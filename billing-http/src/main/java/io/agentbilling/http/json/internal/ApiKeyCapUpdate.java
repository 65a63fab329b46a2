package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.SetApiKeyCap;

/** The body of {@code PUT /v1/internal/orgs/{orgId}/api-keys/{keyId}/cap}: replaces both caps. */
@JsonClassDescription("An API key's caps; both are replaced, a null or omitted cap is none, both null removes them")
public record ApiKeyCapUpdate(
        @JsonPropertyDescription("Per UTC calendar month, in cents (0..100000000000); null: none")
        Long monthlyCapCents,
        @JsonPropertyDescription("Over the key's life, in cents (0..100000000000); null: none")
        Long lifetimeCapCents) {

    public SetApiKeyCap.Command toCommand(OrgId orgId, ApiKeyId keyId) {
        return new SetApiKeyCap.Command(orgId, keyId, monthlyCapCents, lifetimeCapCents);
    }
}
