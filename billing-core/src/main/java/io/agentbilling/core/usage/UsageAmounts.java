package io.agentbilling.core.usage;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.money.Credits;
import java.math.BigInteger;
import java.util.Objects;

/**
 * Usage quantities for one (member, kind, key, byok, unit) cell: either one settled fact or the sum of many (a
 * rollup). Which counters a kind uses: MODEL count=requests + token counters; SANDBOX quantity=settled seconds,
 * forgivenQuantity=forgiven seconds; STORAGE quantity=byte-seconds; TOOL count=executions; RESOURCE
 * quantity in {@code unit}. {@code cost} is what was charged (zero for BYOK).
 *
 * <p>The counters are {@link BigInteger}s: one settlement's counts are bounded {@code long}s, but their sums are not.
 * A petabyte stored for ten years is about 3.5 × 10^23 byte-seconds, and a billion model calls a day at the bound of
 * 10^12 tokens each is 10^21 tokens a day; both are far past a {@code long}, so sums are exact and never overflow.
 * {@code cost} stays a {@link Credits} ({@code long} micros): every cost in a rollup is a usage debit on the ledger,
 * and the ledger refuses any posting that would take an org's used total past a {@code long}, so a sum of an org's
 * costs always fits.
 *
 * @param memberId null for usage not attributed to a member (e.g. org-level storage)
 */
public record UsageAmounts(
        MemberId memberId,
        UsageKind kind,
        String key,
        boolean byok,
        String unit,
        BigInteger count,
        BigInteger inputTokens,
        BigInteger outputTokens,
        BigInteger cachedInputTokens,
        BigInteger quantity,
        BigInteger forgivenQuantity,
        Credits cost) {
    public UsageAmounts {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(cost, "cost");
        unit = unit == null ? "" : unit;
        for (BigInteger counter : new BigInteger[] {count, inputTokens, outputTokens, cachedInputTokens, quantity,
                forgivenQuantity}) {
            if (Objects.requireNonNull(counter, "usage counter").signum() < 0) {
                throw new IllegalArgumentException("usage counters cannot be negative");
            }
        }
    }

    /** One settled fact, whose counters are the bounded {@code long}s a settlement reports. */
    public UsageAmounts(MemberId memberId, UsageKind kind, String key, boolean byok, String unit, long count,
                        long inputTokens, long outputTokens, long cachedInputTokens, long quantity,
                        long forgivenQuantity, Credits cost) {
        this(memberId, kind, key, byok, unit, BigInteger.valueOf(count), BigInteger.valueOf(inputTokens),
                BigInteger.valueOf(outputTokens), BigInteger.valueOf(cachedInputTokens), BigInteger.valueOf(quantity),
                BigInteger.valueOf(forgivenQuantity), cost);
    }

    /** The cell these amounts belong to. */
    public Cell cell() {
        return new Cell(memberId, kind, key, byok, unit);
    }

    /** Exact sum of two amounts of the same cell. */
    public UsageAmounts plus(UsageAmounts other) {
        if (!cell().equals(other.cell())) {
            throw new IllegalArgumentException("cannot add usage of different cells");
        }
        return new UsageAmounts(memberId, kind, key, byok, unit, count.add(other.count),
                inputTokens.add(other.inputTokens), outputTokens.add(other.outputTokens),
                cachedInputTokens.add(other.cachedInputTokens), quantity.add(other.quantity),
                forgivenQuantity.add(other.forgivenQuantity), cost.plus(other.cost));
    }

    /** The grouping key of the usage rollups (besides org and day). */
    public record Cell(MemberId memberId, UsageKind kind, String key, boolean byok, String unit) {}
}
