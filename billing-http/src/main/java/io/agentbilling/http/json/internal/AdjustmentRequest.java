package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.AdjustCredit;
import io.agentbilling.http.json.Amounts;

/** {@code POST /v1/internal/orgs/{orgId}/adjustments}: a signed manual correction. */
public record AdjustmentRequest(
        @JsonPropertyDescription("Signed cents, not 0, |x| <= 100000000000: positive adds credit, negative removes "
                + "it") long amountCents,
        @JsonPropertyDescription("Why; becomes the entry's description (1..500 characters)")
        @JsonProperty(required = true) String reason,
        @JsonPropertyDescription("Or the Idempotency-Key header") String idempotencyKey) {

    public AdjustCredit.Command toCommand(OrgId orgId, String key) {
        return AdjustCredit.Command.builder().orgId(orgId).amountCents(amountCents).reason(reason)
                .idempotencyKey(key).build();
    }
}
