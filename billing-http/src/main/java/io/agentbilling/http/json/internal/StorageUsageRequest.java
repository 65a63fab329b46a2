package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usecase.SettleStorageUsage;
import java.time.Instant;

/** {@code POST /v1/internal/billing/storage/usage}, and a batch event of type {@code storage}. */
public record StorageUsageRequest(
        @JsonProperty(required = true) OrgId orgId,
        @JsonProperty(required = true) String workspaceId,
        MemberId memberId,
        @JsonPropertyDescription("Bytes held times seconds held over [from, to)") long byteSeconds,
        @JsonProperty(required = true) Instant from,
        @JsonProperty(required = true) Instant to,
        @JsonPropertyDescription("Or the Idempotency-Key header (not in a batch)") String idempotencyKey,
        @JsonPropertyDescription("The API key the work went through: the charge counts toward its caps; must be the "
                + "org's") ApiKeyId apiKeyId,
        @JsonPropertyDescription("A hold to capture: the actual charge is made (even above the hold) and the rest "
                + "released") HoldId holdId)
        implements UsageEventRequest {

    @Override
    public SettleStorageUsage.Command toCommand(String key) {
        return SettleStorageUsage.Command.builder().orgId(orgId).workspaceId(workspaceId).memberId(memberId)
                .byteSeconds(byteSeconds).from(from).to(to).idempotencyKey(key)
                .apiKeyId(apiKeyId).holdId(holdId).build();
    }
}
