package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.CheckCredit;
import io.agentbilling.http.json.Amounts;

/** {@code POST /v1/internal/billing/credit-check}. */
public record CreditCheckRequest(
        @JsonProperty(required = true) OrgId orgId,
        @JsonPropertyDescription("What the work is expected to cost, in cents (0..100000000000); absent: is the "
                + "balance positive") Long estimatedCents) {

    public CheckCredit.Command toCommand() {
        return estimatedCents == null ? CheckCredit.Command.balanceOf(orgId)
                : CheckCredit.Command.estimatedCents(orgId, estimatedCents);
    }
}
