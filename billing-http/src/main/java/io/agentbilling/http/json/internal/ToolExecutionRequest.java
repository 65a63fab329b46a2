package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usecase.SettleToolExecution;

/** {@code POST /v1/internal/billing/tool-executions}, and a batch event of type {@code tool}. */
public record ToolExecutionRequest(
        @JsonProperty(required = true) OrgId orgId,
        @JsonProperty(required = true) MemberId memberId,
        @JsonProperty(required = true) String tool,
        @JsonPropertyDescription("Executions, at least 1; default 1") Long count,
        String referenceId,
        @JsonPropertyDescription("Or the Idempotency-Key header (not in a batch)") String idempotencyKey,
        @JsonPropertyDescription("The API key the work went through: the charge counts toward its caps; must be the "
                + "org's") ApiKeyId apiKeyId,
        @JsonPropertyDescription("A hold to capture: the actual charge is made (even above the hold) and the rest "
                + "released") HoldId holdId)
        implements UsageEventRequest {

    @Override
    public SettleToolExecution.Command toCommand(String key) {
        SettleToolExecution.Command.Builder command = SettleToolExecution.Command.builder()
                .orgId(orgId).memberId(memberId).tool(tool).referenceId(referenceId).idempotencyKey(key)
                .apiKeyId(apiKeyId).holdId(holdId);
        if (count != null) {
            command.count(count);
        }
        return command.build();
    }
}
