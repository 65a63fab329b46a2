package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usecase.SettleModelUsage;
import java.time.Instant;

/** {@code POST /v1/internal/billing/model-usage}, and a batch event of type {@code model}. */
public record ModelUsageRequest(
        @JsonProperty(required = true) OrgId orgId,
        @JsonProperty(required = true) MemberId memberId,
        @JsonPropertyDescription("The model id as the caller knows it (e.g. gpt-5)") @JsonProperty(required = true)
        String model,
        @JsonPropertyDescription("Uncached input tokens") long inputTokens,
        long outputTokens,
        @JsonPropertyDescription("Input tokens served from the prompt cache; default 0") Long cachedInputTokens,
        @JsonPropertyDescription("The customer's own provider key paid: recorded, charged nothing") boolean byok,
        String referenceId,
        @JsonPropertyDescription("When the call happened (prices in force then); default now") Instant occurredAt,
        @JsonPropertyDescription("Or the Idempotency-Key header (not in a batch)") String idempotencyKey,
        @JsonPropertyDescription("The API key the work went through: the charge counts toward its caps; must be the "
                + "org's") ApiKeyId apiKeyId,
        @JsonPropertyDescription("A hold to capture: the actual charge is made (even above the hold) and the rest "
                + "released") HoldId holdId)
        implements UsageEventRequest {

    @Override
    public SettleModelUsage.Command toCommand(String key) {
        return SettleModelUsage.Command.builder().orgId(orgId).memberId(memberId).model(model)
                .inputTokens(inputTokens).outputTokens(outputTokens)
                .cachedInputTokens(cachedInputTokens == null ? 0 : cachedInputTokens).byok(byok)
                .referenceId(referenceId).occurredAt(occurredAt).idempotencyKey(key)
                .apiKeyId(apiKeyId).holdId(holdId).build();
    }
}
