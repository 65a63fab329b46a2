package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.CheckCredit;

/** {@code POST /v1/internal/billing/credit-check}. */
public record CreditCheckRequest(
        @JsonProperty(required = true) OrgId orgId,
        @JsonPropertyDescription("What the work is expected to cost, in cents (0..100000000000); absent: is anything "
                + "left under every limit that applies") Long estimatedCents,
        @JsonPropertyDescription("The member doing the work: their budget applies; must belong to the org")
        MemberId memberId,
        @JsonPropertyDescription("The API key the work goes through: its caps apply; must be the org's")
        ApiKeyId apiKeyId) {

    public CheckCredit.Command toCommand() {
        CheckCredit.Command command = estimatedCents == null ? CheckCredit.Command.balanceOf(orgId)
                : CheckCredit.Command.estimatedCents(orgId, estimatedCents);
        return command.forMember(memberId).throughKey(apiKeyId);
    }
}
