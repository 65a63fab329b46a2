package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import java.time.Instant;

/** An API key as stored: never the key itself. */
public record ApiKeyView(
        ApiKeyId id,
        @JsonPropertyDescription("The key's first characters (e.g. rt_live_AbCd), to tell keys apart")
        String displayPrefix,
        OrgId orgId,
        MemberId memberId,
        String name,
        boolean test,
        Instant createdAt,
        @JsonPropertyDescription("null: never expires") Instant expiresAt,
        @JsonPropertyDescription("null: not revoked") Instant revokedAt) {

    public static ApiKeyView of(ApiKey key) {
        return new ApiKeyView(key.id(), key.displayPrefix(), key.orgId(), key.memberId(), key.name(), key.test(),
                key.createdAt(), key.expiresAt(), key.revokedAt());
    }
}
