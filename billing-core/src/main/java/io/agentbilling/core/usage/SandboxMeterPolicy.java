package io.agentbilling.core.usage;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a sandbox may stay silent. With no heartbeat for {@code heartbeatTimeout} a meter is pending; pending for
 * a further {@code gracePeriod} without its final settlement, the service settles it itself (see
 * {@link SandboxMeter#sweep(Duration)}).
 */
public record SandboxMeterPolicy(Duration heartbeatTimeout, Duration gracePeriod) {
    /** Heartbeats every 30 s or so are expected; 2 minutes of silence make a sandbox pending, 1 hour more closes it. */
    public static final SandboxMeterPolicy DEFAULT = new SandboxMeterPolicy(Duration.ofMinutes(2), Duration.ofHours(1));

    public SandboxMeterPolicy {
        Objects.requireNonNull(heartbeatTimeout, "heartbeatTimeout");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        if (heartbeatTimeout.isNegative() || heartbeatTimeout.isZero() || gracePeriod.isNegative()) {
            throw new IllegalArgumentException("heartbeat timeout must be positive and grace period not negative");
        }
    }
}
