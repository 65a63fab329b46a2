package io.agentbilling.core.usage;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.money.UnitPrice;
import io.agentbilling.core.pricing.PriceCatalog;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds the rows of the usage report (API.md A4) from usage rollups and open sandbox meters. Pure functions; costs
 * stay {@link Credits} (the HTTP layer derives cents). Settled costs come from the rollups, i.e. exactly what was
 * charged; pending and active sandbox figures are estimates at the price the meter will be charged at.
 */
public final class UsageReport {
    private static final BigDecimal BYTE_SECONDS_PER_GIB_HOUR =
            BigDecimal.valueOf(PriceCatalog.BYTES_PER_GIB).multiply(BigDecimal.valueOf(3600));
    private static final int GIB_HOURS_SCALE = 6;

    private UsageReport() {}

    /** Platform model tokens (BYOK excluded); {@code input} counts cached input tokens too. */
    public record Tokens(BigInteger input, BigInteger output, BigInteger total) {}

    /** One model id with or without BYOK. {@code inputTokens} excludes {@code cachedInputTokens}. */
    public record ModelUsage(String model, boolean byok, BigInteger requests, BigInteger inputTokens,
                             BigInteger cachedInputTokens, BigInteger outputTokens, BigInteger totalTokens,
                             Credits cost) {}

    public record SandboxRuntime(BigInteger settledSeconds, BigInteger pendingSeconds, BigInteger forgivenSeconds,
                                 BigInteger activeSeconds, Credits settledCost, Credits pendingEstimate,
                                 Credits activeEstimate) {}

    /** Storage held; {@code gibHours} is an exact quantity (scale 6, half-even), not money. */
    public record StorageUsage(BigInteger byteSeconds, BigDecimal gibHours, Credits cost) {}

    public record ResourceCharge(String resource, BigInteger quantity, String unit, Credits cost) {}

    /**
     * One usage row: a member's, or the org's totals ({@code memberId} null).
     *
     * @param toolCost   what the tool executions cost (part of {@code totalCost})
     * @param totalCost  everything charged in the period (estimates excluded)
     */
    public record Row(MemberId memberId, Tokens tokens, List<ModelUsage> modelUsage, SandboxRuntime sandboxRuntime,
                      StorageUsage storageUsage, BigInteger toolExecutions, Credits toolCost,
                      List<ResourceCharge> resourceCharges, Credits totalCost) {
        /**
         * @param memberId the member
         * @param toolCost what the tool executions cost (part of {@code totalCost})
         * @param totalCost everything charged in the period (estimates excluded)
         */
        public Row {
            modelUsage = List.copyOf(modelUsage);
            resourceCharges = List.copyOf(resourceCharges);
        }
    }

    /** The unsettled time of one open meter and its estimated cost. */
    public record MeterEstimate(MemberId memberId, long pendingSeconds, long activeSeconds, Credits pendingEstimate,
                                Credits activeEstimate) {
        /**
         * @param pricePerSecond the price the meter will be charged at (its size, in the catalog in force at its
         *                       start)
         * @param now the current instant
         */
        public static MeterEstimate of(SandboxMeter meter, UnitPrice pricePerSecond, Instant now,
                                       Duration heartbeatTimeout) {
            long pending = meter.pendingSeconds(now, heartbeatTimeout);
            long active = meter.activeSeconds(now, heartbeatTimeout);
            return new MeterEstimate(meter.memberId(), pending, active,
                    Credits.roundHalfEvenToMicros(pricePerSecond.exactMicros(pending)),
                    Credits.roundHalfEvenToMicros(pricePerSecond.exactMicros(active)));
        }
    }

    /**
     * A row summing {@code amounts} and {@code meters} as given (the caller picks whose they are).
     *
     * @param memberId the member
     */
    public static Row row(MemberId memberId, List<UsageAmounts> amounts, List<MeterEstimate> meters) {
        Sums sums = new Sums();
        amounts.forEach(sums::add);
        meters.forEach(sums::add);
        return sums.row(memberId);
    }

    /**
     * One row per member with any usage or open meter (in member id order); usage without a member appears only
     * in the {@link #totals}.
     */
    public static List<Row> memberRows(List<UsageAmounts> amounts, List<MeterEstimate> meters) {
        Comparator<MemberId> order = Comparator.comparing(MemberId::value);
        TreeSet<MemberId> members = new TreeSet<>(order);
        amounts.stream().map(UsageAmounts::memberId).filter(Objects::nonNull).forEach(members::add);
        meters.stream().map(MeterEstimate::memberId).filter(Objects::nonNull).forEach(members::add);
        List<Row> rows = new ArrayList<>();
        for (MemberId member : members) {
            rows.add(row(member,
                    amounts.stream().filter(a -> member.equals(a.memberId())).toList(),
                    meters.stream().filter(m -> member.equals(m.memberId())).toList()));
        }
        return rows;
    }

    /**
     * The org's row: everything, attributed to a member or not.
     */
    public static Row totals(List<UsageAmounts> amounts, List<MeterEstimate> meters) {
        return row(null, amounts, meters);
    }

    /**
     * Exact running sums. Quantities are {@link BigInteger}s, so no volume overflows them; costs are {@link Credits},
     * whose sums the ledger keeps within a {@code long} (see {@link UsageAmounts}), and an estimate that would not fit
     * throws rather than shows a wrong figure.
     */
    private static final class Sums {
        private record ModelKey(String model, boolean byok) {}

        private record ResourceKey(String resource, String unit) {}

        private final Map<ModelKey, ModelUsage> models = new TreeMap<>(
                Comparator.comparing(ModelKey::model).thenComparing(ModelKey::byok));
        private final Map<ResourceKey, ResourceCharge> resources = new TreeMap<>(
                Comparator.comparing(ResourceKey::resource).thenComparing(ResourceKey::unit));
        private BigInteger tokensIn = BigInteger.ZERO;
        private BigInteger tokensOut = BigInteger.ZERO;
        private BigInteger settledSeconds = BigInteger.ZERO;
        private BigInteger forgivenSeconds = BigInteger.ZERO;
        private BigInteger pendingSeconds = BigInteger.ZERO;
        private BigInteger activeSeconds = BigInteger.ZERO;
        private Credits sandboxCost = Credits.ZERO;
        private Credits pendingEstimate = Credits.ZERO;
        private Credits activeEstimate = Credits.ZERO;
        private BigInteger byteSeconds = BigInteger.ZERO;
        private Credits storageCost = Credits.ZERO;
        private BigInteger toolExecutions = BigInteger.ZERO;
        private Credits toolCost = Credits.ZERO;
        private Credits total = Credits.ZERO;

        void add(UsageAmounts a) {
            total = total.plus(a.cost());
            switch (a.kind()) {
                case MODEL -> addModel(a);
                case SANDBOX -> {
                    settledSeconds = settledSeconds.add(a.quantity());
                    forgivenSeconds = forgivenSeconds.add(a.forgivenQuantity());
                    sandboxCost = sandboxCost.plus(a.cost());
                }
                case STORAGE -> {
                    byteSeconds = byteSeconds.add(a.quantity());
                    storageCost = storageCost.plus(a.cost());
                }
                case TOOL -> {
                    toolExecutions = toolExecutions.add(a.count());
                    toolCost = toolCost.plus(a.cost());
                }
                case RESOURCE -> resources.merge(new ResourceKey(a.key(), a.unit()),
                        new ResourceCharge(a.key(), a.quantity(), a.unit(), a.cost()),
                        (x, y) -> new ResourceCharge(x.resource(), x.quantity().add(y.quantity()), x.unit(),
                                x.cost().plus(y.cost())));
            }
        }

        private void addModel(UsageAmounts a) {
            BigInteger input = a.inputTokens().add(a.cachedInputTokens());
            if (!a.byok()) {
                tokensIn = tokensIn.add(input);
                tokensOut = tokensOut.add(a.outputTokens());
            }
            ModelUsage cell = new ModelUsage(a.key(), a.byok(), a.count(), a.inputTokens(), a.cachedInputTokens(),
                    a.outputTokens(), input.add(a.outputTokens()), a.cost());
            models.merge(new ModelKey(a.key(), a.byok()), cell, (x, y) -> new ModelUsage(x.model(), x.byok(),
                    x.requests().add(y.requests()), x.inputTokens().add(y.inputTokens()),
                    x.cachedInputTokens().add(y.cachedInputTokens()), x.outputTokens().add(y.outputTokens()),
                    x.totalTokens().add(y.totalTokens()), x.cost().plus(y.cost())));
        }

        void add(MeterEstimate m) {
            pendingSeconds = pendingSeconds.add(BigInteger.valueOf(m.pendingSeconds()));
            activeSeconds = activeSeconds.add(BigInteger.valueOf(m.activeSeconds()));
            pendingEstimate = pendingEstimate.plus(m.pendingEstimate());
            activeEstimate = activeEstimate.plus(m.activeEstimate());
        }

        Row row(MemberId memberId) {
            BigDecimal gibHours = new BigDecimal(byteSeconds)
                    .divide(BYTE_SECONDS_PER_GIB_HOUR, GIB_HOURS_SCALE, RoundingMode.HALF_EVEN);
            return new Row(memberId,
                    new Tokens(tokensIn, tokensOut, tokensIn.add(tokensOut)),
                    new ArrayList<>(models.values()),
                    new SandboxRuntime(settledSeconds, pendingSeconds, forgivenSeconds, activeSeconds, sandboxCost,
                            pendingEstimate, activeEstimate),
                    new StorageUsage(byteSeconds, gibHours, storageCost),
                    toolExecutions, toolCost,
                    new ArrayList<>(resources.values()),
                    total);
        }
    }
}
