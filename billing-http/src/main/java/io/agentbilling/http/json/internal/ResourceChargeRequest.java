package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usecase.SettleResourceCharge;
import io.agentbilling.http.json.Amounts;

/** {@code POST /v1/internal/billing/resource-charges}, and a batch event of type {@code resource}. */
public record ResourceChargeRequest(
        @JsonProperty(required = true) OrgId orgId,
        MemberId memberId,
        @JsonPropertyDescription("e.g. code_exec") @JsonProperty(required = true) String resource,
        @JsonPropertyDescription("Whole units of unit") long quantity,
        @JsonPropertyDescription("e.g. seconds; must be the unit the catalog prices the resource in, unless "
                + "amountCents is given") @JsonProperty(required = true) String unit,
        @JsonPropertyDescription("The charge in cents (0..100000000000) when the caller prices it; absent: priced by "
                + "the catalog") Long amountCents,
        String description,
        String referenceId,
        @JsonPropertyDescription("Or the Idempotency-Key header (not in a batch)") String idempotencyKey,
        @JsonPropertyDescription("The API key the work went through: the charge counts toward its caps; must be the "
                + "org's") ApiKeyId apiKeyId,
        @JsonPropertyDescription("A hold to capture: the actual charge is made (even above the hold) and the rest "
                + "released") HoldId holdId)
        implements UsageEventRequest {

    @Override
    public SettleResourceCharge.Command toCommand(String key) {
        SettleResourceCharge.Command.Builder command = SettleResourceCharge.Command.builder().orgId(orgId)
                .memberId(memberId).resource(resource).quantity(quantity).unit(unit).description(description)
                .referenceId(referenceId).idempotencyKey(key)
                .apiKeyId(apiKeyId).holdId(holdId);
        if (amountCents != null) {
            command.amountCents(amountCents);
        }
        return command.build();
    }
}
