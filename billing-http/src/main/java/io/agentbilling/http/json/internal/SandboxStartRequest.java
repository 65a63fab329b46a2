package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usecase.StartSandboxRuntime;
import java.time.Instant;

/** {@code POST /v1/internal/billing/sandbox-runtime/{sandboxId}/start}. */
public record SandboxStartRequest(
        @JsonProperty(required = true) OrgId orgId,
        @JsonProperty(required = true) MemberId memberId,
        @JsonProperty(required = true) String size,
        @JsonPropertyDescription("When the sandbox started; default now") Instant startedAt,
        @JsonPropertyDescription("Or the Idempotency-Key header") String idempotencyKey,
        @JsonPropertyDescription("A hold to bind to the meter: its settlements capture it, and a final one closes "
                + "it") HoldId holdId) {

    public StartSandboxRuntime.Command toCommand(String sandboxId, String key) {
        return StartSandboxRuntime.Command.builder().sandboxId(sandboxId).orgId(orgId).memberId(memberId).size(size)
                .startedAt(startedAt).idempotencyKey(key).holdId(holdId).build();
    }
}
