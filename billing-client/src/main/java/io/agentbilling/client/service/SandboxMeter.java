package io.agentbilling.client.service;

import java.time.Instant;
import java.util.UUID;

/**
 * A sandbox's runtime meter.
 *
 * @param status         {@code active}, {@code pending} (silent, awaiting its final settlement) or {@code settled}
 * @param settledThrough runtime up to this instant is settled (charged or forgiven)
 * @param replayed       a start that repeated an earlier one; always false for a heartbeat
 */
public record SandboxMeter(String sandboxId, UUID orgId, UUID memberId, String size, String status, Instant startedAt,
                           Instant lastHeartbeatAt, Instant settledThrough, long settledSeconds, long forgivenSeconds,
                           boolean replayed) {
}
