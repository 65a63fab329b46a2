package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.SettleToolExecution;

/** {@code POST /v1/internal/billing/tool-executions}, and a batch event of type {@code tool}. */
public record ToolExecutionRequest(
        @JsonProperty(required = true) OrgId orgId,
        @JsonProperty(required = true) MemberId memberId,
        @JsonProperty(required = true) String tool,
        @JsonPropertyDescription("Executions, at least 1; default 1") Long count,
        String referenceId,
        @JsonPropertyDescription("Or the Idempotency-Key header (not in a batch)") String idempotencyKey)
        implements UsageEventRequest {

    @Override
    public SettleToolExecution.Command toCommand(String key) {
        SettleToolExecution.Command.Builder command = SettleToolExecution.Command.builder()
                .orgId(orgId).memberId(memberId).tool(tool).referenceId(referenceId).idempotencyKey(key);
        if (count != null) {
            command.count(count);
        }
        return command.build();
    }
}
