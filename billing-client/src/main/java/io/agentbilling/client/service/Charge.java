package io.agentbilling.client.service;

import java.util.UUID;

/**
 * What a usage settlement charged.
 *
 * @param chargedCents  the charge, cents rounded half-even
 * @param chargedMicros the exact charge, millionths of a cent
 * @param entryId       the usage entry on the ledger; null when nothing was charged (BYOK, a free tool)
 * @param balanceCents  the balance right after the settlement (for a replay: after the original), rounded down
 * @param balanceMicros the same balance, exact
 * @param replayed      the key had been settled before (by an earlier call, or by an earlier attempt of this one
 *                      whose answer was lost): this is that settlement's result, and nothing was charged again
 */
public record Charge(long chargedCents, long chargedMicros, UUID entryId, long balanceCents, long balanceMicros,
                     boolean replayed) {
}
