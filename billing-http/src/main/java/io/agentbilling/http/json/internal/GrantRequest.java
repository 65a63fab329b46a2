package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.GrantCredit;
import io.agentbilling.http.json.Amounts;
import java.time.Instant;

/** {@code POST /v1/internal/orgs/{orgId}/grants}: promotional credit. */
public record GrantRequest(
        @JsonPropertyDescription("1..100000000000 cents") long amountCents,
        @JsonPropertyDescription("When the unconsumed remainder expires; must be in the future; default never")
        Instant expiresAt,
        @JsonPropertyDescription("Default: promotional credit") String description,
        @JsonPropertyDescription("Or the Idempotency-Key header") String idempotencyKey) {

    public GrantCredit.Command toCommand(OrgId orgId, String key) {
        return GrantCredit.Command.builder().orgId(orgId).amountCents(amountCents).expiresAt(expiresAt)
                .description(description).idempotencyKey(key).build();
    }
}
