package io.agentbilling.client.billing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A usage report ({@code GET /v1/billing/my-usage}): the caller's row in {@code usage} (all = false), or one row per
 * member in {@code members} and the organization's in {@code totals} (all = true); the other side is null.
 */
public record UsageReport(UUID orgId, String period, Instant from, Instant to, Row usage, List<Row> members,
                          Row totals) {

    /** One member's usage in the period, or the organization's ({@code memberId} null). */
    public record Row(UUID memberId, Tokens tokens, List<ModelUsage> modelUsage, SandboxRuntime sandboxRuntime,
                      StorageUsage storageUsage, long toolExecutions, List<ResourceCharge> resourceCharges,
                      long totalCostCents) {
    }

    /** Platform model tokens (BYOK excluded); {@code input} counts cached input tokens too. */
    public record Tokens(long input, long output, long total) {
    }

    public record ModelUsage(String model, boolean byok, long requests, long inputTokens, long cachedInputTokens,
                             long outputTokens, long totalTokens, long costCents) {
    }

    public record SandboxRuntime(long settledSeconds, long pendingSeconds, long forgivenSeconds, long activeSeconds,
                                 long settledCents, long pendingCents, long activeEstimateCents) {
    }

    /** @param gibHours byte-seconds in GiB-hours, exact to six decimals */
    public record StorageUsage(long byteSeconds, BigDecimal gibHours, long costCents) {
    }

    public record ResourceCharge(String resource, long quantity, String unit, long costCents) {
    }
}
