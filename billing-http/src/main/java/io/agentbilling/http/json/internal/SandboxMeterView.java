package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usage.SandboxMeter;
import java.time.Instant;
import java.util.Locale;

/** A sandbox's runtime meter. */
public record SandboxMeterView(
        String sandboxId,
        OrgId orgId,
        MemberId memberId,
        String size,
        @JsonPropertyDescription("active, pending (silent, awaiting its final settlement) or settled (closed)")
        String status,
        Instant startedAt,
        Instant lastHeartbeatAt,
        @JsonPropertyDescription("Runtime up to this instant is settled (charged or forgiven)") Instant settledThrough,
        @JsonPropertyDescription("Seconds charged so far") long settledSeconds,
        @JsonPropertyDescription("Seconds waived so far") long forgivenSeconds,
        @JsonPropertyDescription("True when a start repeats an earlier one; always false for a heartbeat")
        boolean replayed) {

    public static SandboxMeterView of(SandboxMeter meter, boolean replayed) {
        return new SandboxMeterView(meter.sandboxId(), meter.orgId(), meter.memberId(), meter.size(),
                statusOf(meter), meter.startedAt(), meter.lastHeartbeatAt(), meter.settledThrough(),
                meter.settledSeconds(), meter.forgivenSeconds(), replayed);
    }

    static String statusOf(SandboxMeter meter) {
        return meter.status().name().toLowerCase(Locale.ROOT);
    }
}
