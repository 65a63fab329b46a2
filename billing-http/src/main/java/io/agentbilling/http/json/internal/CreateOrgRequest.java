package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.http.json.Amounts;

/** {@code POST /v1/internal/orgs}. */
public record CreateOrgRequest(
        @JsonPropertyDescription("1..200 characters") @JsonProperty(required = true) String name,
        @JsonPropertyDescription("A plan code of the catalog; default free") String plan,
        @JsonPropertyDescription("The sign-up grant in cents (0 = none); default: the plan's") Long signupGrantCents,
        @JsonPropertyDescription("Optional here (or the Idempotency-Key header): a retried creation returns the "
                + "same org") String idempotencyKey) {

    public CreateOrg.Command toCommand(String key) {
        CreateOrg.Command.Builder command = CreateOrg.Command.builder().name(name).plan(plan).idempotencyKey(key);
        if (signupGrantCents != null) {
            command.signupGrantCents(signupGrantCents);
        }
        return command.build();
    }
}
