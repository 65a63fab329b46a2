package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.usecase.HeartbeatSandboxRuntime;
import java.time.Instant;

/** {@code POST /v1/internal/billing/sandbox-runtime/{sandboxId}/heartbeat}; the body may be empty. */
public record SandboxHeartbeatRequest(
        @JsonPropertyDescription("When the sandbox was seen alive; default now") Instant at) {

    public HeartbeatSandboxRuntime.Command toCommand(String sandboxId) {
        return new HeartbeatSandboxRuntime.Command(sandboxId, at);
    }
}
