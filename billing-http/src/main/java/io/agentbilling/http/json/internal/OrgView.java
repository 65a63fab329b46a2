package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.http.json.Amounts;
import java.time.Instant;

/** A created organization. */
public record OrgView(
        OrgId id,
        String name,
        @JsonPropertyDescription("The plan code") String plan,
        Instant createdAt,
        @JsonPropertyDescription("The balance (for a replay: now), cents rounded toward negative infinity")
        long balanceCents,
        @JsonPropertyDescription("The sign-up grant given at creation (0 when none)") long signupGrantCents,
        boolean replayed) {

    public static OrgView of(CreateOrg.Result result) {
        return new OrgView(result.org().id(), result.org().name(), result.org().plan(), result.org().createdAt(),
                Amounts.balanceCentsOf(result.balance()), Amounts.centsOf(result.signupGrant()), result.replayed());
    }
}
