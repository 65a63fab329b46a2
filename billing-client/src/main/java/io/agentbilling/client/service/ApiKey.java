package io.agentbilling.client.service;

import java.time.Instant;
import java.util.UUID;

/** An API key as stored (never the key itself); {@code revokedAt} is null until revoked. */
public record ApiKey(UUID id, String displayPrefix, UUID orgId, UUID memberId, String name, boolean test,
                     Instant createdAt, Instant expiresAt, Instant revokedAt) {
}
