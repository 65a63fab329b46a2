package io.agentbilling.client.service;

import java.time.Instant;
import java.util.UUID;

/**
 * Credit reserved for admitted work until a settlement naming it captures it, it is released, or it expires.
 *
 * @param status    {@code active}, {@code captured}, {@code released} or {@code expired}
 */
public record Hold(UUID holdId, UUID orgId, UUID memberId, UUID apiKeyId, long amountCents, long capturedCents,
                   String status, Instant createdAt, Instant expiresAt, Instant closedAt, String sandboxId) {
}
