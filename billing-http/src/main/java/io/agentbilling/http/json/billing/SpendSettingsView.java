package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.spend.SpendSettings;
import java.time.Instant;

/** {@code GET} and {@code PUT /v1/billing/settings}. */
@JsonClassDescription("The organization's spend settings")
public record SpendSettingsView(
        OrgId orgId,
        @JsonPropertyDescription("BYOK model calls count at list price toward member budgets and key caps")
        boolean countByokTowardBudgets,
        @JsonPropertyDescription("balance.low is sent when a debit takes the balance below this; null: never")
        Long balanceLowThresholdCents,
        @JsonPropertyDescription("When an admin last changed them; null for the defaults") Instant updatedAt) {

    public static SpendSettingsView of(SpendSettings s) {
        return new SpendSettingsView(s.orgId(), s.countByokTowardBudgets(),
                MemberBudgetView.cents(s.balanceLowThreshold()), s.updatedAt());
    }
}
