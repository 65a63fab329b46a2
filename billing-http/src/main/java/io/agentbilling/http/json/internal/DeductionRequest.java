package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.http.json.Amounts;
import java.util.List;

/** {@code POST /v1/internal/billing/deductions}: a debit of an amount the caller computed. */
public record DeductionRequest(
        @JsonProperty(required = true) OrgId orgId,
        MemberId memberId,
        @JsonPropertyDescription("Whole cents, 1..100000000000; give this or amountMicros, not both") Long amountCents,
        @JsonPropertyDescription("Millionths of a cent, 1..100000000000000000; give this or amountCents, not both")
        Long amountMicros,
        @JsonProperty(required = true) String resource,
        String description,
        String referenceId,
        @JsonPropertyDescription("Or the Idempotency-Key header (not in a batch)") String idempotencyKey,
        @JsonPropertyDescription("The API key the work went through: the charge counts toward its caps; must be the "
                + "org's") ApiKeyId apiKeyId,
        @JsonPropertyDescription("A hold to capture: the actual charge is made (even above the hold) and the rest "
                + "released") HoldId holdId)
        implements UsageEventRequest {

    @Override
    public SettleDeduction.Command toCommand(String key) {
        SettleDeduction.Command.Builder command = SettleDeduction.Command.builder().orgId(orgId).memberId(memberId)
                .resource(resource).description(description).referenceId(referenceId).idempotencyKey(key)
                .apiKeyId(apiKeyId).holdId(holdId);
        if (amountCents != null) {
            command.amountCents(amountCents);
        }
        if (amountMicros != null) {
            command.amountMicros(amountMicros);
        }
        return command.build();
    }
}
