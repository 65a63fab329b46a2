package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.http.json.Amounts;
import java.time.Instant;

/** A hold: credit reserved for admitted work until it is captured, released or expires. */
public record HoldView(
        HoldId holdId,
        OrgId orgId,
        MemberId memberId,
        ApiKeyId apiKeyId,
        @JsonPropertyDescription("What was reserved, in cents") long amountCents,
        @JsonPropertyDescription("What settlements charged against it so far, cents half-even") long capturedCents,
        @JsonPropertyDescription("active, captured, released or expired") String status,
        Instant createdAt,
        @JsonPropertyDescription("When it releases by itself, unless captured or released before") Instant expiresAt,
        @JsonPropertyDescription("When it left active; null while active") Instant closedAt,
        @JsonPropertyDescription("The sandbox meter it is bound to; null for none") String sandboxId) {

    public static HoldView of(Hold hold) {
        return new HoldView(hold.id(), hold.orgId(), hold.memberId(), hold.apiKeyId(),
                Amounts.centsOf(hold.amount()), Amounts.centsOf(hold.captured()), hold.status().wireName(),
                hold.createdAt(), hold.expiresAt(), hold.closedAt(), hold.sandboxId());
    }
}
