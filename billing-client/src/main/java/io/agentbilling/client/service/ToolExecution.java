package io.agentbilling.client.service;

import java.util.Objects;
import java.util.UUID;

/**
 * Tool executions to settle ({@code POST /v1/internal/billing/tool-executions}; batch type {@code tool}).
 *
 * @param count    executions, at least 1; null = 1
 * @param apiKeyId the API key the work went through: the charge counts toward its caps; null for none
 * @param holdId   a hold to capture: the actual charge is made and the rest released; null for none
 */
public record ToolExecution(UUID orgId, UUID memberId, String tool, Long count, String referenceId,
                            String idempotencyKey, UUID apiKeyId, UUID holdId) implements UsageEvent {
    public static final String TYPE = "tool";

    public ToolExecution {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(tool, "tool");
    }

    /** Executions charged to no key and capturing no hold, as before spend controls. */
    public ToolExecution(UUID orgId, UUID memberId, String tool, Long count, String referenceId,
                         String idempotencyKey) {
        this(orgId, memberId, tool, count, referenceId, idempotencyKey, null, null);
    }

    /**
     * @param orgId the organization
     * @param memberId the member
     */
    public static ToolExecution of(UUID orgId, UUID memberId, String tool) {
        return new ToolExecution(orgId, memberId, tool, null, null, null);
    }

    /**
     * A copy with another count.
     */
    public ToolExecution withCount(long executions) {
        return new ToolExecution(orgId, memberId, tool, executions, referenceId, idempotencyKey, apiKeyId, holdId);
    }

    /**
     * A copy with another reference id.
     */
    public ToolExecution withReferenceId(String reference) {
        return new ToolExecution(orgId, memberId, tool, count, reference, idempotencyKey, apiKeyId, holdId);
    }

    @Override
    public ToolExecution withIdempotencyKey(String key) {
        return new ToolExecution(orgId, memberId, tool, count, referenceId, key, apiKeyId, holdId);
    }

    @Override
    public ToolExecution withApiKeyId(UUID key) {
        return new ToolExecution(orgId, memberId, tool, count, referenceId, idempotencyKey, key, holdId);
    }

    @Override
    public ToolExecution withHoldId(UUID hold) {
        return new ToolExecution(orgId, memberId, tool, count, referenceId, idempotencyKey, apiKeyId, hold);
    }

    @Override
    public String batchType() {
        return TYPE;
    }
}
