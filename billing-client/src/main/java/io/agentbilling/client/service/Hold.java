package io.agentbilling.client.service;

import java.time.Instant;
import java.util.UUID;

/**
 * Credit reserved for admitted work until a settlement naming it captures it, it is released, or it expires.
 *
 * @param memberId      the member whose budget it counts against; null for none
 * @param apiKeyId      the key whose caps it counts against (and its capture's charge toward); null for none
 * @param amountCents   what it reserved
 * @param capturedCents what settlements naming it charged, cents half-even (may exceed {@code amountCents})
 * @param closedAt      when it left {@link HoldStatus#ACTIVE}; null while active
 * @param sandboxId     the sandbox meter it is bound to; null for none
 */
public record Hold(UUID holdId, UUID orgId, UUID memberId, UUID apiKeyId, long amountCents, long capturedCents,
                   HoldStatus status, Instant createdAt, Instant expiresAt, Instant closedAt, String sandboxId) {
}
