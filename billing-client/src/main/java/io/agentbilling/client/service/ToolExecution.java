package io.agentbilling.client.service;

import java.util.Objects;
import java.util.UUID;

/**
 * Tool executions to settle ({@code POST /v1/internal/billing/tool-executions}; batch type {@code tool}).
 *
 * @param count executions, at least 1; null = 1
 */
public record ToolExecution(UUID orgId, UUID memberId, String tool, Long count, String referenceId,
                            String idempotencyKey) implements UsageEvent {
    public static final String TYPE = "tool";

    public ToolExecution {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(tool, "tool");
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
        return new ToolExecution(orgId, memberId, tool, executions, referenceId, idempotencyKey);
    }

    /**
     * A copy with another reference id.
     */
    public ToolExecution withReferenceId(String reference) {
        return new ToolExecution(orgId, memberId, tool, count, reference, idempotencyKey);
    }

    @Override
    public ToolExecution withIdempotencyKey(String key) {
        return new ToolExecution(orgId, memberId, tool, count, referenceId, key);
    }

    @Override
    public String batchType() {
        return TYPE;
    }
}
