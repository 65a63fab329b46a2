package io.agentbilling.client.billing;

import java.time.Instant;
import java.util.UUID;

/**
 * The organization's spend settings ({@code GET}/{@code PUT /v1/billing/settings}).
 *
 * @param balanceLowThresholdCents {@code balance.low} is sent when a debit takes the balance below this; null: never
 * @param updatedAt                when an admin last changed them; null for the defaults
 */
public record SpendSettings(UUID orgId, boolean countByokTowardBudgets, Long balanceLowThresholdCents,
                            Instant updatedAt) {
}
