package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.CreateApiKey;
import java.time.Instant;

/** {@code POST /v1/internal/orgs/{orgId}/api-keys}. */
public record CreateApiKeyRequest(
        @JsonPropertyDescription("The member the key acts as; must belong to the org")
        @JsonProperty(required = true) MemberId memberId,
        @JsonPropertyDescription("1..100 characters, to tell keys apart") @JsonProperty(required = true) String name,
        @JsonPropertyDescription("An rt_test_ key instead of rt_live_; default false") Boolean test,
        @JsonPropertyDescription("When the key stops working; must be in the future; default never")
        Instant expiresAt,
        @JsonPropertyDescription("What may be spent through the key per UTC month, in cents (0..100000000000); "
                + "default none") Long monthlyCapCents,
        @JsonPropertyDescription("What may be spent through the key over its life, in cents (0..100000000000); "
                + "default none") Long lifetimeCapCents) {

    public CreateApiKey.Command toCommand(OrgId orgId) {
        return CreateApiKey.Command.builder().orgId(orgId).memberId(memberId).name(name)
                .test(Boolean.TRUE.equals(test)).expiresAt(expiresAt)
                .monthlyCapCents(monthlyCapCents).lifetimeCapCents(lifetimeCapCents).build();
    }
}
