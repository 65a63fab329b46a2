package io.agentbilling.http.json.billing;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.usecase.UpdateAutoTopup;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;

/** The body of {@code PUT /v1/billing/auto-topup} (API.md A8): omitted (or null) fields keep their values. */
@JsonClassDescription("Changes to the auto top-up settings; omitted fields keep their values")
public record AutoTopupUpdate(
        @JsonPropertyDescription("Defaults to the caller's organization") OrgId orgId,
        @JsonPropertyDescription("Turning it on needs a saved card (422 payment_method_required)") Boolean enabled,
        @JsonPropertyDescription("0 to the configured maximum, in cents") Long thresholdCents,
        @JsonPropertyDescription("500 to the configured maximum, in cents") Long topupAmountCents) {

    public UpdateAutoTopup.Command toCommand(Caller caller) {
        UpdateAutoTopup.Command.Builder command = UpdateAutoTopup.Command.builder().caller(caller).orgId(orgId);
        if (enabled != null) {
            command.enabled(enabled);
        }
        if (thresholdCents != null) {
            command.thresholdCents(thresholdCents);
        }
        if (topupAmountCents != null) {
            command.topupAmountCents(topupAmountCents);
        }
        return command.build();
    }
}
