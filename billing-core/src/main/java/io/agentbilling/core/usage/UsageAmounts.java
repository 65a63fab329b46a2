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
    /** The unit of tool usage: its quantity is {@code count}. */
    public static final String TOOL_UNIT = "executions";
    /** The unit of storage usage. */
    public static final String STORAGE_UNIT = "byte_seconds";
    /** The unit of sandbox runtime. */
    public static final String SANDBOX_UNIT = "seconds";

    /**
     * @param byok whether the caller's own provider key paid
     * @param cachedInputTokens input tokens served from the prompt cache
     * @param inputTokens uncached input tokens
     * @param memberId null for usage not attributed to a member (e.g. org-level storage)
     */
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

    /**
     * One model call.
     *
     * @param memberId          whose call
     * @param model             the model id
     * @param byok              billed to the caller's own provider key (then {@code cost} is zero)
     * @param inputTokens       uncached input tokens
     * @param outputTokens      output tokens
     * @param cachedInputTokens input tokens served from the prompt cache
     * @param cost              what the call was charged
     * @return the amounts of one request of {@code model}
     */
    public static UsageAmounts model(MemberId memberId, String model, boolean byok, long inputTokens,
                                     long outputTokens, long cachedInputTokens, Credits cost) {
        return fact(memberId, UsageKind.MODEL, model, byok, "", 1, inputTokens, outputTokens, cachedInputTokens, 0, 0,
                cost);
    }

    /**
     * Executions of a tool.
     *
     * @param executions how many times it ran
     * @param cost       what they were charged
     * @param memberId the member
     * @return the amounts of {@code executions} runs of {@code tool}
     */
    public static UsageAmounts tool(MemberId memberId, String tool, long executions, Credits cost) {
        return fact(memberId, UsageKind.TOOL, tool, false, TOOL_UNIT, executions, 0, 0, 0, 0, 0, cost);
    }

    /**
     * Storage a workspace held.
     *
     * @param memberId    null for the org's storage
     * @param byteSeconds bytes held times seconds held
     * @param cost        what it was charged
     * @return the amounts of {@code byteSeconds} of {@code workspaceId}
     */
    public static UsageAmounts storage(MemberId memberId, String workspaceId, long byteSeconds, Credits cost) {
        return fact(memberId, UsageKind.STORAGE, workspaceId, false, STORAGE_UNIT, 1, 0, 0, 0, byteSeconds, 0, cost);
    }

    /**
     * A charge for a resource, in its unit ({@code ""} and quantity 0 for an amount the caller computed).
     *
     * @param memberId null for the org's
     * @param quantity whole units of {@code unit}
     * @param cost     what it was charged
     * @param resource what was charged
     * @return the amounts of one charge for {@code resource}
     */
    public static UsageAmounts resource(MemberId memberId, String resource, String unit, long quantity, Credits cost) {
        return fact(memberId, UsageKind.RESOURCE, resource, false, unit, 1, 0, 0, 0, quantity, 0, cost);
    }

    /**
     * Sandbox runtime settled for a sandbox size.
     *
     * @param settledSeconds  seconds charged
     * @param forgivenSeconds seconds not charged (forgiven by the caller)
     * @param cost            what the settled seconds were charged
     * @param memberId the member
     * @param size the sandbox size
     * @return the amounts of one sandbox settlement
     */
    public static UsageAmounts sandbox(MemberId memberId, String size, long settledSeconds, long forgivenSeconds,
                                       Credits cost) {
        // A settlement is not a sandbox of its own (a sandbox settles many times): it counts seconds, not requests.
        return fact(memberId, UsageKind.SANDBOX, size, false, SANDBOX_UNIT, 0, 0, 0, 0, settledSeconds,
                forgivenSeconds, cost);
    }

    private static UsageAmounts fact(MemberId memberId, UsageKind kind, String key, boolean byok, String unit,
                                     long count, long inputTokens, long outputTokens, long cachedInputTokens,
                                     long quantity, long forgivenQuantity, Credits cost) {
        return new UsageAmounts(memberId, kind, key, byok, unit, BigInteger.valueOf(count),
                BigInteger.valueOf(inputTokens), BigInteger.valueOf(outputTokens),
                BigInteger.valueOf(cachedInputTokens), BigInteger.valueOf(quantity),
                BigInteger.valueOf(forgivenQuantity), cost);
    }

    /**
     * The cell these amounts belong to.
     */
    public Cell cell() {
        return new Cell(memberId, kind, key, byok, unit);
    }

    /**
     * Exact sum of two amounts of the same cell.
     *
     * @param other the other one
     */
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
