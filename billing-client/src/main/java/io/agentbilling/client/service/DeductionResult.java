package io.agentbilling.client.service;

import java.time.Instant;
import java.util.UUID;

/** A settled deduction: its ledger entry (as in the credit history) and the charge. */
public record DeductionResult(UUID id, UUID orgId, UUID memberId, String type, long amountCents, long amountMicros,
                              String resource, String description, String referenceId, long balanceAfterCents,
                              long balanceAfterMicros, Instant createdAt, long chargedCents, long chargedMicros,
                              long balanceCents, long balanceMicros, boolean replayed) {
}
