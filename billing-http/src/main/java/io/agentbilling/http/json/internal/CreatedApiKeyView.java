package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.CreateApiKey;
import java.time.Instant;

/** A new API key, with the plain key: the only time it is shown. */
public record CreatedApiKeyView(
        ApiKeyId id,
        @JsonPropertyDescription("The plain key (rt_live_… or rt_test_…). Shown once: only its hash is stored")
        String key,
        String displayPrefix,
        OrgId orgId,
        MemberId memberId,
        String name,
        boolean test,
        Instant createdAt,
        @JsonPropertyDescription("null: never expires") Instant expiresAt) {

    public static CreatedApiKeyView of(CreateApiKey.Result result) {
        ApiKey key = result.key();
        return new CreatedApiKeyView(key.id(), result.plainKey(), key.displayPrefix(), key.orgId(), key.memberId(),
                key.name(), key.test(), key.createdAt(), key.expiresAt());
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "CreatedApiKeyView[id=" + id + ", displayPrefix=" + displayPrefix + "]";
    }
}
