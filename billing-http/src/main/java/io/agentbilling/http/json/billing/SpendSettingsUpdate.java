package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.UpdateSpendSettings;

/** The body of {@code PUT /v1/billing/settings}: replaces the settings whole. */
@JsonClassDescription("The organization's spend settings, replaced whole: an omitted field takes its default")
public record SpendSettingsUpdate(
        @JsonPropertyDescription("Defaults to the caller's organization") OrgId orgId,
        @JsonPropertyDescription("Count BYOK model calls at list price toward member budgets and key caps (they are "
                + "still never charged); default false") Boolean countByokTowardBudgets,
        @JsonPropertyDescription("Send balance.low when a debit takes the balance below this, in cents "
                + "(0..100000000000); null or omitted: no low-balance alert") Long balanceLowThresholdCents) {

    public UpdateSpendSettings.Command toCommand(Caller caller) {
        UpdateSpendSettings.Command.Builder command = UpdateSpendSettings.Command.builder().caller(caller).orgId(orgId)
                .countByokTowardBudgets(Boolean.TRUE.equals(countByokTowardBudgets));
        if (balanceLowThresholdCents == null) {
            command.clearBalanceLowThreshold();
        } else {
            command.balanceLowThresholdCents(balanceLowThresholdCents);
        }
        return command.build();
    }
}
