package io.agentbilling.client.service;

import java.time.Instant;
import java.util.UUID;

/**
 * A new API key with the plain {@code key}: the only time the server shows it (it keeps only a hash). {@link
 * #toString()} leaves the key out, so it does not end up in logs.
 */
public record CreatedApiKey(UUID id, String key, String displayPrefix, UUID orgId, UUID memberId, String name,
                            boolean test, Instant createdAt, Instant expiresAt) {
    @Override
    public String toString() {
        return "CreatedApiKey[id=" + id + ", displayPrefix=" + displayPrefix + ", orgId=" + orgId + ", memberId="
                + memberId + ", name=" + name + ", test=" + test + ", createdAt=" + createdAt + ", expiresAt="
                + expiresAt + "]";
    }
}
