package io.agentbilling.client.service;

import java.time.Instant;
import java.util.UUID;

/**
 * A created organization.
 *
 * @param balanceCents the balance (for a replayed creation: now), rounded down
 */
public record Org(UUID id, String name, String plan, Instant createdAt, long balanceCents, long signupGrantCents,
                  boolean replayed) {
}
