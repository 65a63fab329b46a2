package io.agentbilling.client.service;

import java.time.Instant;
import java.util.UUID;

/** A sandbox settlement: the meter after it, and what it charged (see {@link Charge} for the charge fields). */
public record SandboxSettlement(String sandboxId, UUID orgId, UUID memberId, String size, String status,
                                Instant startedAt, Instant lastHeartbeatAt, Instant settledThrough,
                                long settledSeconds, long forgivenSeconds, long chargedCents, long chargedMicros,
                                UUID entryId, long balanceCents, long balanceMicros, boolean replayed) {
}
