package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.usage.UsageReport;
import io.agentbilling.http.json.PlainDecimal;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * One usage row of API.md A4. Costs are single amounts, so half-even cents; each is rounded on its own, so the
 * cents of the parts may not add up to {@code totalCostCents} to the cent. Quantities (tokens, requests, seconds,
 * byte-seconds, executions, resource quantities) are exact integers of any size: sums over a long period can pass
 * 2^63 (a petabyte held for ten years is about 3.5 × 10^23 byte-seconds), and JSON writes them as plain integers.
 */
@JsonClassDescription("One member's usage in the period, or the organization's (memberId null)")
public record UsageRowView(
        @JsonPropertyDescription("The member; null on the organization's totals row") MemberId memberId,
        @JsonPropertyDescription("Platform model tokens; BYOK calls excluded") Tokens tokens,
        @JsonPropertyDescription("One row per model id and BYOK flag") List<ModelUsage> modelUsage,
        SandboxRuntime sandboxRuntime,
        StorageUsage storageUsage,
        @JsonPropertyDescription("Tool executions") BigInteger toolExecutions,
        @JsonPropertyDescription("Other settled resource-level charges, e.g. code_exec") List<ResourceCharge> resourceCharges,
        @JsonPropertyDescription("Everything charged in the period (estimates excluded), half-even cents")
        long totalCostCents) {

    /** {@code input} counts cached input tokens too. */
    public record Tokens(BigInteger input, BigInteger output, BigInteger total) {}

    @JsonClassDescription("Usage of one model id; BYOK rows cost 0")
    public record ModelUsage(
            String model,
            boolean byok,
            BigInteger requests,
            @JsonPropertyDescription("All input tokens, cached ones included") BigInteger inputTokens,
            @JsonPropertyDescription("Of inputTokens, those served from the prompt cache") BigInteger cachedInputTokens,
            BigInteger outputTokens,
            @JsonPropertyDescription("inputTokens + outputTokens") BigInteger totalTokens,
            long costCents) {}

    @JsonClassDescription("Sandbox runtime: settled = charged; pending = stopped or silent, awaiting final "
            + "settlement; active = running since the last settlement (an estimate); forgiven = waived")
    public record SandboxRuntime(BigInteger settledSeconds, BigInteger pendingSeconds, BigInteger forgivenSeconds,
                                 BigInteger activeSeconds,
                                 long settledCents,
                                 @JsonPropertyDescription("Estimate of pending seconds at their price") long pendingCents,
                                 @JsonPropertyDescription("Estimate of active seconds at their price")
                                 long activeEstimateCents) {}

    public record StorageUsage(
            BigInteger byteSeconds,
            @JsonPropertyDescription("byteSeconds in GiB-hours (2^30 bytes × 3600 s), to 6 decimals")
            @JsonSerialize(using = PlainDecimal.class) BigDecimal gibHours,
            long costCents) {}

    public record ResourceCharge(String resource, BigInteger quantity, String unit, long costCents) {}

    public static UsageRowView of(UsageReport.Row row) {
        UsageReport.SandboxRuntime sandbox = row.sandboxRuntime();
        UsageReport.StorageUsage storage = row.storageUsage();
        return new UsageRowView(row.memberId(),
                new Tokens(row.tokens().input(), row.tokens().output(), row.tokens().total()),
                row.modelUsage().stream().map(UsageRowView::modelUsage).toList(),
                new SandboxRuntime(sandbox.settledSeconds(), sandbox.pendingSeconds(), sandbox.forgivenSeconds(),
                        sandbox.activeSeconds(), sandbox.settledCost().toCentsHalfEven(),
                        sandbox.pendingEstimate().toCentsHalfEven(), sandbox.activeEstimate().toCentsHalfEven()),
                new StorageUsage(storage.byteSeconds(), storage.gibHours(), storage.cost().toCentsHalfEven()),
                row.toolExecutions(),
                row.resourceCharges().stream().map(c -> new ResourceCharge(c.resource(), c.quantity(), c.unit(),
                        c.cost().toCentsHalfEven())).toList(),
                row.totalCost().toCentsHalfEven());
    }

    private static ModelUsage modelUsage(UsageReport.ModelUsage model) {
        return new ModelUsage(model.model(), model.byok(), model.requests(),
                model.inputTokens().add(model.cachedInputTokens()), model.cachedInputTokens(),
                model.outputTokens(), model.totalTokens(), model.cost().toCentsHalfEven());
    }
}
