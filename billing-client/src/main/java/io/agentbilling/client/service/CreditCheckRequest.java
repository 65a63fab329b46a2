package io.agentbilling.client.service;

import java.util.Objects;
import java.util.UUID;

/**
 * What to ask the credit gate ({@code POST /v1/internal/billing/credit-check}).
 *
 * @param estimatedCents what the work is expected to cost; null = is anything left under every limit
 * @param memberId       the member doing the work, whose budget applies; null for none
 * @param apiKeyId       the API key the work goes through, whose caps apply; null for none
 */
public record CreditCheckRequest(UUID orgId, Long estimatedCents, UUID memberId, UUID apiKeyId) {
    public CreditCheckRequest {
        Objects.requireNonNull(orgId, "orgId");
    }

    public static CreditCheckRequest of(UUID orgId) {
        return new CreditCheckRequest(orgId, null, null, null);
    }

    public CreditCheckRequest withEstimatedCents(long cents) {
        return new CreditCheckRequest(orgId, cents, memberId, apiKeyId);
    }

    public CreditCheckRequest forMember(UUID member) {
        return new CreditCheckRequest(orgId, estimatedCents, member, apiKeyId);
    }

    public CreditCheckRequest throughKey(UUID key) {
        return new CreditCheckRequest(orgId, estimatedCents, memberId, key);
    }
}
