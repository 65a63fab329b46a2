package io.agentbilling.client.service;

import java.time.Instant;
import java.util.UUID;

/**
 * A member of an organization; {@code role} is {@code admin} or {@code member}, {@code email} may be null;
 * {@code replayed} when an earlier call with the same idempotency key added it.
 */
public record Member(UUID id, UUID orgId, String email, String role, Instant createdAt, boolean replayed) {
}
