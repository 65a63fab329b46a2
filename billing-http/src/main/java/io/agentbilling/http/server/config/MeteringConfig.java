package io.agentbilling.http.server.config;

import io.agentbilling.core.usage.SandboxMeterPolicy;
import io.agentbilling.core.usage.UsageWindow;
import java.util.Objects;

/**
 * How usage is metered: the core's own policies, as configured.
 *
 * @param sandbox     when a silent sandbox counts as pending, and when it is settled with the gap forgiven
 * @param usageWindow how old reported usage may be, and the clock skew allowed when a sandbox is settled
 */
public record MeteringConfig(SandboxMeterPolicy sandbox, UsageWindow usageWindow) {

    public MeteringConfig {
        Objects.requireNonNull(sandbox, "sandbox");
        Objects.requireNonNull(usageWindow, "usageWindow");
    }
}
