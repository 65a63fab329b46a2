package io.agentbilling.core.spend;

import io.agentbilling.core.money.Credits;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The admission rule, as a pure function of one {@link SpendSnapshot}: work of a given amount is admitted when every
 * limit that applies still has that much left — the org's balance less its active holds, and for each limit of the
 * member's budget and the key's cap, the limit less what was spent in its period less the active holds counted
 * against it. Without an amount, work is admitted when every limit has something left. The first limit that refuses,
 * in {@link LimitKind} order, is the one named ({@code limitedBy}).
 *
 * <p>Because every hold is placed with this rule under the org's account lock, and a hold counts as spent until it
 * closes, the sum of active holds and of what holds admitted never exceeds the balance or any limit at the time of
 * admission, however many agents ask at once. Stateless.
 */
public final class Admission {
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Admission() {}

    /**
     * One limit as the admission saw it.
     *
     * @param limit     the limit; for the org, its balance
     * @param spent     spent in the limit's period; null for the org (the balance already is what is left)
     * @param held      active holds counted against it
     * @param remaining {@code limit - spent - held}; may be negative (usage is recorded past a limit)
     */
    public record Limit(LimitKind kind, Credits limit, Credits spent, Credits held, Credits remaining) {
        public Limit {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(held, "held");
            Objects.requireNonNull(remaining, "remaining");
        }
    }

    /**
     * @param limitedBy the first limit that refused; null when admitted
     * @param limits    every limit that applies, in {@link LimitKind} order (the org's always first)
     */
    public record Decision(boolean allowed, LimitKind limitedBy, List<Limit> limits) {
        public Decision {
            limits = List.copyOf(limits);
            if (allowed != (limitedBy == null)) {
                throw new IllegalArgumentException("a refusal names its limit, an admission none");
            }
        }

        /** The row of {@code kind}, or null when that limit does not apply. */
        public Limit limit(LimitKind kind) {
            return limits.stream().filter(l -> l.kind() == kind).findFirst().orElse(null);
        }
    }

    /**
     * Decides.
     *
     * @param snapshot what the org, member and key have
     * @param amount   what the work is expected to cost (zero or more); null = is anything left under every limit
     * @return the decision and every limit that applies
     */
    public static Decision decide(SpendSnapshot snapshot, Credits amount) {
        if (amount != null && amount.isNegative()) {
            throw new IllegalArgumentException("an admission amount is zero or more");
        }
        List<Limit> limits = limits(snapshot);
        LimitKind limitedBy = null;
        for (Limit limit : limits) {
            boolean fits = amount == null ? limit.remaining().isPositive() : limit.remaining().isAtLeast(amount);
            if (!fits) {
                limitedBy = limit.kind();
                break;
            }
        }
        return new Decision(limitedBy == null, limitedBy, limits);
    }

    /** Every limit that applies to the snapshot, in {@link LimitKind} order. */
    public static List<Limit> limits(SpendSnapshot s) {
        List<Limit> limits = new ArrayList<>();
        limits.add(new Limit(LimitKind.ORG_BALANCE, s.balance(), null, s.heldByOrg(),
                minus(s.balance(), s.heldByOrg())));
        SpendSnapshot.MemberSpend member = s.member();
        if (member != null && member.budget() != null) {
            MemberBudget budget = member.budget();
            if (budget.dailyLimit() != null) {
                limits.add(limit(LimitKind.MEMBER_DAILY, budget.dailyLimit(), member.spentToday(), member.held()));
            }
            if (budget.monthlyLimit() != null) {
                limits.add(limit(LimitKind.MEMBER_MONTHLY, budget.monthlyLimit(), member.spentThisMonth(),
                        member.held()));
            }
        }
        SpendSnapshot.KeySpend key = s.key();
        if (key != null && key.cap() != null) {
            ApiKeyCap cap = key.cap();
            if (cap.monthlyLimit() != null) {
                limits.add(limit(LimitKind.KEY_MONTHLY, cap.monthlyLimit(), key.spentThisMonth(), key.held()));
            }
            if (cap.lifetimeLimit() != null) {
                limits.add(limit(LimitKind.KEY_LIFETIME, cap.lifetimeLimit(), key.spentLifetime(), key.held()));
            }
        }
        return limits;
    }

    private static Limit limit(LimitKind kind, Credits limit, Credits spent, Credits held) {
        return new Limit(kind, limit, spent, held, minus(minus(limit, spent), held));
    }

    /**
     * {@code a - b}, held to the range of a {@code long} of micros instead of overflowing: spend counted at list
     * price (BYOK) is not bounded by the ledger, and a remainder far below zero is as refused as any other.
     */
    static Credits minus(Credits a, Credits b) {
        BigInteger exact = BigInteger.valueOf(a.micros()).subtract(BigInteger.valueOf(b.micros()));
        return Credits.ofMicros(exact.max(LONG_MIN).min(LONG_MAX).longValue());
    }

    /** {@code a + b}, held to the range of a {@code long} of micros. */
    public static Credits saturatingPlus(Credits a, Credits b) {
        BigInteger exact = BigInteger.valueOf(a.micros()).add(BigInteger.valueOf(b.micros()));
        return Credits.ofMicros(exact.max(LONG_MIN).min(LONG_MAX).longValue());
    }
}
