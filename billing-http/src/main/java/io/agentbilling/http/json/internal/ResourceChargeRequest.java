package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
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
        @JsonPropertyDescription("Or the Idempotency-Key header (not in a batch)") String idempotencyKey)
        implements UsageEventRequest {

    @Override
    public SettleResourceCharge.Command toCommand(String key) {
        SettleResourceCharge.Command.Builder command = SettleResourceCharge.Command.builder().orgId(orgId)
                .memberId(memberId).resource(resource).quantity(quantity).unit(unit).description(description)
                .referenceId(referenceId).idempotencyKey(key);
        if (amountCents != null) {
            command.amountCents(amountCents);
        }
        return command.build();
    }
}
