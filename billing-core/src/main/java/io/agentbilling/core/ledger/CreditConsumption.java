package io.agentbilling.core.ledger;

import io.agentbilling.core.money.Credits;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which credit is consumed (DESIGN.md rule 5), as pure functions: grants that expire soonest first,
 * then non-expiring grants (oldest first), then purchased credit. Ties break on grant time, then id, so the order
 * is total and the same on every adapter.
 */
public final class CreditConsumption {
    /** The consumption order over grant lots. */
    public static final Comparator<CreditGrant> ORDER = Comparator
            .comparing((CreditGrant g) -> g.expiresAt() == null ? 1 : 0)
            .thenComparing(g -> g.expiresAt() == null ? java.time.Instant.MAX : g.expiresAt())
            .thenComparing(CreditGrant::grantedAt)
            .thenComparing(g -> g.id().value());

    private CreditConsumption() {}

    /**
     * Takes {@code debit} (a positive amount) from the open grants in order; what they cannot cover comes from
     * purchased credit, which may go negative (usage is never refused after the fact).
     *
     * @return the grants after consumption (a grant brought to zero is closed) and the part taken from purchased
     */
    public static Result consume(List<CreditGrant> openGrants, Credits debit) {
        if (debit.isNegative()) {
            throw new IllegalArgumentException("debit must be >= 0: " + debit);
        }
        List<CreditGrant> ordered = new ArrayList<>(openGrants);
        ordered.sort(ORDER);
        List<CreditGrant> after = new ArrayList<>(ordered.size());
        Credits left = debit;
        for (CreditGrant grant : ordered) {
            Credits take = Credits.min(left, grant.remaining());
            left = left.minus(take);
            CreditGrant updated = grant.withRemaining(grant.remaining().minus(take));
            after.add(take.isPositive() && updated.remaining().isZero() ? updated.close() : updated);
        }
        return new Result(after, left);
    }

    /**
     * How much of a new grant of {@code amount} stays in its lot when purchased credit is {@code purchased}:
     * incoming credit first pays off any debt (negative purchased credit), the rest stays granted.
     *
     * @return the lot remainder after debt
     */
    public static Credits lotRemainderAfterDebt(Credits amount, Credits purchased) {
        if (!purchased.isNegative()) {
            return amount;
        }
        return amount.minus(Credits.min(amount, purchased.negate()));
    }

    /** Grants after a debit, and the part of the debit that purchased credit covered. */
    public record Result(List<CreditGrant> grants, Credits fromPurchased) {}
}
