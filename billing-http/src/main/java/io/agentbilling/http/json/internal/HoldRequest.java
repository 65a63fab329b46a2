package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.PlaceHold;

/** {@code POST /v1/internal/billing/holds}: admit work and reserve its estimate. */
public record HoldRequest(
        @JsonProperty(required = true) OrgId orgId,
        @JsonPropertyDescription("The member doing the work: the hold counts against their budget") MemberId memberId,
        @JsonPropertyDescription("The API key the work goes through: the hold counts against its caps")
        ApiKeyId apiKeyId,
        @JsonPropertyDescription("What to reserve, in cents (1..100000000000)") long amountCents,
        @JsonPropertyDescription("Seconds until the hold releases by itself (1..604800)") long ttlSeconds,
        @JsonPropertyDescription("Or the Idempotency-Key header") String idempotencyKey) {

    public PlaceHold.Command toCommand(String key) {
        return PlaceHold.Command.builder().orgId(orgId).memberId(memberId).apiKeyId(apiKeyId).amountCents(amountCents)
                .ttlSeconds(ttlSeconds).idempotencyKey(key).build();
    }
}
