package io.agentbilling.core.spend;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.Objects;

/**
 * An org's spend-control settings ({@code PUT /v1/billing/settings}).
 *
 * @param countByokTowardBudgets whether BYOK model calls count at list price toward member budgets and key caps
 *                               (they are still never charged)
 * @param balanceLowThreshold    a debit taking the balance from at or above this to below it sends
 *                               {@code balance.low}; null sends none
 * @param updatedAt              when an admin last changed them; null for the defaults
 */
public record SpendSettings(OrgId orgId, boolean countByokTowardBudgets, Credits balanceLowThreshold,
                            Instant updatedAt) {
    public SpendSettings {
        Objects.requireNonNull(orgId, "orgId");
        if (balanceLowThreshold != null && balanceLowThreshold.isNegative()) {
            throw new IllegalArgumentException("the low-balance threshold is zero or more");
        }
    }

    /** What an org has until an admin changes it: BYOK not counted, no low-balance alert. */
    public static SpendSettings defaults(OrgId orgId) {
        return new SpendSettings(orgId, false, null, null);
    }
}
