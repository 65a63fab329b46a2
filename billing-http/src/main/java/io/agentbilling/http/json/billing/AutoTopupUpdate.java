package io.agentbilling.http.json.billing;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.usecase.UpdateAutoTopup;
import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.payment.AutoTopupMode;

/** The body of {@code PUT /v1/billing/auto-topup} (API.md A8): omitted (or null) fields keep their values. */
@JsonClassDescription("Changes to the auto top-up settings; omitted fields keep their values")
public record AutoTopupUpdate(
        @JsonPropertyDescription("Defaults to the caller's organization") OrgId orgId,
        @JsonPropertyDescription("Turning it on needs a saved card (422 payment_method_required)") Boolean enabled,
        @JsonPropertyDescription("0 to the configured maximum, in cents") Long thresholdCents,
        @JsonPropertyDescription("500 to the configured maximum, in cents") Long topupAmountCents,
        @JsonPropertyDescription("fixed (topupAmountCents each time) or target_balance (what brings the balance back "
                + "to targetBalanceCents, at least the minimum top-up, at most the configured maximum)") String mode,
        @JsonPropertyDescription("The balance a top-up brings the org back to in target_balance mode, in cents "
                + "(1 to the configured maximum)") Long targetBalanceCents,
        @JsonPropertyDescription("The most auto top-ups may charge per UTC calendar month, in cents (0 to the "
                + "configured maximum); a top-up is cut to what the cap leaves, and none starts below the minimum")
        Long monthlyCapCents,
        @JsonPropertyDescription("true removes the monthly cap (not with monthlyCapCents)") Boolean noMonthlyCap) {

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
        if (mode != null) {
            command.mode(AutoTopupMode.fromWireName(mode).orElseThrow(() -> BillingException.invalid("mode",
                    "must be fixed or target_balance")));
        }
        if (targetBalanceCents != null) {
            command.targetBalanceCents(targetBalanceCents);
        }
        if (Boolean.TRUE.equals(noMonthlyCap)) {
            if (monthlyCapCents != null) {
                throw BillingException.invalid("noMonthlyCap", "cannot be true with monthlyCapCents");
            }
            command.clearMonthlyCap();
        } else if (monthlyCapCents != null) {
            command.monthlyCapCents(monthlyCapCents);
        }
        return command.build();
    }
}
