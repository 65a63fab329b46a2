package io.agentbilling.core.usage;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.money.Credits;
import java.util.Objects;

/**
 * Usage quantities for one (member, kind, key, byok, unit) cell: either one settled fact or the sum of many (a
 * rollup). Which counters a kind uses: MODEL count=requests + token counters; SANDBOX quantity=settled seconds,
 * forgivenQuantity=forgiven seconds; STORAGE quantity=byte-seconds; TOOL count=executions; RESOURCE
 * quantity in {@code unit}. {@code cost} is what was charged (zero for BYOK).
 *
 * @param memberId null for usage not attributed to a member (e.g. org-level storage)
 */
public record UsageAmounts(
        MemberId memberId,
        UsageKind kind,
        String key,
        boolean byok,
        String unit,
        long count,
        long inputTokens,
        long outputTokens,
        long cachedInputTokens,
        long quantity,
        long forgivenQuantity,
        Credits cost) {
    public UsageAmounts {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(cost, "cost");
        unit = unit == null ? "" : unit;
        if (count < 0 || inputTokens < 0 || outputTokens < 0 || cachedInputTokens < 0 || quantity < 0
                || forgivenQuantity < 0) {
            throw new IllegalArgumentException("usage counters cannot be negative");
        }
    }

    /** The cell these amounts belong to. */
    public Cell cell() {
        return new Cell(memberId, kind, key, byok, unit);
    }

    /** Exact sum of two amounts of the same cell; overflow throws. */
    public UsageAmounts plus(UsageAmounts other) {
        if (!cell().equals(other.cell())) {
            throw new IllegalArgumentException("cannot add usage of different cells");
        }
        return new UsageAmounts(memberId, kind, key, byok, unit,
                Math.addExact(count, other.count), Math.addExact(inputTokens, other.inputTokens),
                Math.addExact(outputTokens, other.outputTokens),
                Math.addExact(cachedInputTokens, other.cachedInputTokens), Math.addExact(quantity, other.quantity),
                Math.addExact(forgivenQuantity, other.forgivenQuantity), cost.plus(other.cost));
    }

    /** The grouping key of the usage rollups (besides org and day). */
    public record Cell(MemberId memberId, UsageKind kind, String key, boolean byok, String unit) {}
}
