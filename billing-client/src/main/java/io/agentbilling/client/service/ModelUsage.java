package io.agentbilling.client.service;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A model call to settle ({@code POST /v1/internal/billing/model-usage}; batch type {@code model}).
 *
 * @param inputTokens       uncached input tokens
 * @param cachedInputTokens input tokens served from the prompt cache; null = 0
 * @param byok              the customer's own provider key paid: recorded, charged nothing
 * @param occurredAt        when the call happened (the prices in force then); null = when the server settles it
 * @param apiKeyId          the API key the call went through: the charge counts toward its caps; null for none
 * @param holdId            a hold to capture: the actual charge is made and the rest released; null for none
 */
public record ModelUsage(UUID orgId, UUID memberId, String model, long inputTokens, long outputTokens,
                         Long cachedInputTokens, boolean byok, String referenceId, Instant occurredAt,
                         String idempotencyKey, UUID apiKeyId, UUID holdId) implements UsageEvent {
    public static final String TYPE = "model";

    public ModelUsage {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(model, "model");
    }

    /** A call charged to no key and capturing no hold, as before spend controls. */
    public ModelUsage(UUID orgId, UUID memberId, String model, long inputTokens, long outputTokens,
                      Long cachedInputTokens, boolean byok, String referenceId, Instant occurredAt,
                      String idempotencyKey) {
        this(orgId, memberId, model, inputTokens, outputTokens, cachedInputTokens, byok, referenceId, occurredAt,
                idempotencyKey, null, null);
    }

    /**
     * A Platform-priced call (not BYOK).
     *
     * @param orgId the organization
     * @param memberId the member
     * @param model the model id
     * @param inputTokens uncached input tokens
     */
    public static ModelUsage of(UUID orgId, UUID memberId, String model, long inputTokens, long outputTokens) {
        return new ModelUsage(orgId, memberId, model, inputTokens, outputTokens, null, false, null, null, null);
    }

    /**
     * A copy with another cached input tokens.
     */
    public ModelUsage withCachedInputTokens(long tokens) {
        return new ModelUsage(orgId, memberId, model, inputTokens, outputTokens, tokens, byok, referenceId,
                occurredAt, idempotencyKey, apiKeyId, holdId);
    }

    public ModelUsage withByok(boolean customerKey) {
        return new ModelUsage(orgId, memberId, model, inputTokens, outputTokens, cachedInputTokens, customerKey,
                referenceId, occurredAt, idempotencyKey, apiKeyId, holdId);
    }

    /**
     * A copy with another reference id.
     */
    public ModelUsage withReferenceId(String reference) {
        return new ModelUsage(orgId, memberId, model, inputTokens, outputTokens, cachedInputTokens, byok, reference,
                occurredAt, idempotencyKey, apiKeyId, holdId);
    }

    /**
     * A copy with another occurred at.
     *
     * @param at the instant
     */
    public ModelUsage withOccurredAt(Instant at) {
        return new ModelUsage(orgId, memberId, model, inputTokens, outputTokens, cachedInputTokens, byok, referenceId,
                at, idempotencyKey, apiKeyId, holdId);
    }

    @Override
    public ModelUsage withIdempotencyKey(String key) {
        return new ModelUsage(orgId, memberId, model, inputTokens, outputTokens, cachedInputTokens, byok, referenceId,
                occurredAt, key, apiKeyId, holdId);
    }

    @Override
    public ModelUsage withApiKeyId(UUID key) {
        return new ModelUsage(orgId, memberId, model, inputTokens, outputTokens, cachedInputTokens, byok, referenceId,
                occurredAt, idempotencyKey, key, holdId);
    }

    @Override
    public ModelUsage withHoldId(UUID hold) {
        return new ModelUsage(orgId, memberId, model, inputTokens, outputTokens, cachedInputTokens, byok, referenceId,
                occurredAt, idempotencyKey, apiKeyId, hold);
    }

    @Override
    public String batchType() {
        return TYPE;
    }
}
