package io.agentbilling.client.service;

import java.time.Instant;
import java.util.UUID;

/**
 * A ledger entry written by a grant or an adjustment.
 *
 * @param type     {@code grant} or {@code adjustment}
 * @param replayed the key had been used before with this payload: this is the original entry
 */
public record Entry(UUID id, UUID orgId, UUID memberId, String type, long amountCents, long amountMicros,
                    String resource, String description, String referenceId, long balanceAfterCents,
                    long balanceAfterMicros, Instant createdAt, boolean replayed) {
}
