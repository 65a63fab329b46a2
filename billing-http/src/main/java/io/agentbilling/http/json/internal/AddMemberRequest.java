package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.usecase.AddMember;

/** {@code POST /v1/internal/orgs/{orgId}/members}. */
public record AddMemberRequest(
        @JsonPropertyDescription("Optional") String email,
        @JsonPropertyDescription("admin or member") @JsonProperty(required = true) String role,
        @JsonPropertyDescription("Optional here (or the Idempotency-Key header): adding again with the same key "
                + "returns the member the first call added") String idempotencyKey) {

    public AddMember.Command toCommand(OrgId orgId, String key) {
        Role parsed;
        try {
            parsed = Role.fromWireName(role);
        } catch (IllegalArgumentException e) {
            throw BillingException.invalid("role", "must be one of: admin, member");
        }
        return new AddMember.Command(orgId, email, parsed, key);
    }
}
