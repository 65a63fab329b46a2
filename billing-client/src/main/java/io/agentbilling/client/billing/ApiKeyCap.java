package io.agentbilling.client.billing;

import java.time.LocalDate;
import java.util.UUID;

/**
 * An API key's spend caps and where the key stands against them.
 *
 * @param monthlyCapCents         null: no monthly cap
 * @param lifetimeCapCents        null: no lifetime cap
 * @param remainingThisMonthCents monthly cap less spent this month less held; null without one
 * @param remainingLifetimeCents  lifetime cap less spent less held; null without one
 */
public record ApiKeyCap(UUID keyId, UUID memberId, String name, String displayPrefix, Long monthlyCapCents,
                        Long lifetimeCapCents, LocalDate monthStart, long spentThisMonthCents,
                        long spentLifetimeCents, long heldCents, Long remainingThisMonthCents,
                        Long remainingLifetimeCents) {
}
