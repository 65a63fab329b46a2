package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usecase.SettleSandboxRuntime;
import io.agentbilling.core.usecase.SettlementResult;
import io.agentbilling.http.json.Amounts;
import java.time.Instant;

/** A sandbox settlement: the meter after it, and what it charged. */
public record SandboxSettlementView(
        String sandboxId,
        OrgId orgId,
        MemberId memberId,
        String size,
        String status,
        Instant startedAt,
        Instant lastHeartbeatAt,
        Instant settledThrough,
        long settledSeconds,
        long forgivenSeconds,
        @JsonPropertyDescription("This settlement's charge, cents rounded half-even") long chargedCents,
        long chargedMicros,
        @JsonPropertyDescription("The usage entry; null when nothing was charged") EntryId entryId,
        @JsonPropertyDescription("The balance right after the settlement, cents rounded toward negative infinity")
        long balanceCents,
        long balanceMicros,
        @JsonPropertyDescription("True when this repeats an earlier settlement with the same idempotency key; "
                + "the meter is then as it is now") boolean replayed) {

    public static SandboxSettlementView of(SettleSandboxRuntime.Result result) {
        SandboxMeter meter = result.meter();
        SettlementResult charge = result.settlement();
        return new SandboxSettlementView(meter.sandboxId(), meter.orgId(), meter.memberId(), meter.size(),
                SandboxMeterView.statusOf(meter), meter.startedAt(), meter.lastHeartbeatAt(), meter.settledThrough(),
                meter.settledSeconds(), meter.forgivenSeconds(), Amounts.centsOf(charge.charged()),
                charge.chargedMicros(), charge.entryId(), Amounts.balanceCentsOf(charge.balanceAfter()),
                charge.balanceAfter().micros(), charge.replayed());
    }
}
