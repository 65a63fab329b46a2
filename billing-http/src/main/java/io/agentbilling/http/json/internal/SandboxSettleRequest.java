package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usecase.SettleSandboxRuntime;

/** {@code POST /v1/internal/billing/sandbox-runtime/{sandboxId}/settle}. */
public record SandboxSettleRequest(
        @JsonPropertyDescription("Runtime seconds to charge") long seconds,
        @JsonPropertyDescription("Runtime seconds the caller waives (recorded, not charged); default 0")
        Long forgivenSeconds,
        @JsonPropertyDescription("The sandbox stopped and this is its last settlement: the meter closes")
        @JsonProperty("final") boolean finalSettlement,
        @JsonPropertyDescription("Or the Idempotency-Key header") String idempotencyKey,
        @JsonPropertyDescription("A hold to capture: the actual charge is made (even above the hold) and the rest "
                + "released") HoldId holdId) {

    public SettleSandboxRuntime.Command toCommand(String sandboxId, String key) {
        return SettleSandboxRuntime.Command.builder().sandboxId(sandboxId).seconds(seconds)
                .forgivenSeconds(forgivenSeconds == null ? 0 : forgivenSeconds).finalSettlement(finalSettlement)
                .idempotencyKey(key).holdId(holdId).build();
    }
}
