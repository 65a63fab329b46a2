package io.agentbilling.core.ledger;

import io.agentbilling.core.money.Credits;
import java.util.Objects;

/**
 * Running totals of an org's ledger (API.md A2), all non-negative sums of entry amounts by meaning
 * (see {@link EntryType}). Identity: {@code balance == granted - used - expired - refundedToCard}.
 */
public record LedgerTotals(Credits granted, Credits used, Credits expired, Credits refundedToCard) {
    public static final LedgerTotals ZERO = new LedgerTotals(Credits.ZERO, Credits.ZERO, Credits.ZERO, Credits.ZERO);

    public LedgerTotals {
        Objects.requireNonNull(granted, "granted");
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(expired, "expired");
        Objects.requireNonNull(refundedToCard, "refundedToCard");
    }

    /**
     * The balance and these totals in whole cents, as the public API shows them (API.md A2), such that
     * {@code balanceCents == grantedCents - usedCents - expiredCents - refundedToCardCents} holds exactly in cents,
     * as the API states it. The balance rounds toward negative infinity (the rule for balances); granted rounds
     * half-even (credits are whole cents anyway); expired and refunded-to-card, which took credit away, round up,
     * in the balance's direction; used is what remains. Rounding every total on its own could not keep the identity
     * (500 cents granted, 0.4 cent used: the balance shows 499, a half-even "used" 0). With whole-cent credits, used
     * comes out as the exact used total rounded up or down, never more than a cent away from it (0.4 cent → 1).
     */
    public InCents inCents() {
        long balanceCents = impliedBalance().toCentsFloor();
        long grantedCents = granted.toCentsHalfEven();
        long expiredCents = expired.toCentsCeiling();
        long refundedCents = refundedToCard.toCentsCeiling();
        long usedCents = Math.subtractExact(Math.subtractExact(Math.subtractExact(grantedCents, expiredCents),
                refundedCents), balanceCents);
        return new InCents(balanceCents, grantedCents, usedCents, expiredCents, refundedCents);
    }

    /** The public cents figures of an account; see {@link #inCents()}. */
    public record InCents(long balanceCents, long grantedCents, long usedCents, long expiredCents,
                          long refundedToCardCents) {}

    /**
     * The balance these totals imply.
     */
    public Credits impliedBalance() {
        return granted.minus(used).minus(expired).minus(refundedToCard);
    }

    /**
     * These totals after one more entry of {@code type} and {@code amount}.
     */
    public LedgerTotals with(EntryType type, Credits amount) {
        return switch (type) {
            case GRANT, SIGNUP_GRANT, TOPUP, AUTO_TOPUP ->
                    new LedgerTotals(granted.plus(amount), used, expired, refundedToCard);
            case USAGE -> new LedgerTotals(granted, used.minus(amount), expired, refundedToCard);
            case REVERSAL -> new LedgerTotals(granted, used.minus(amount), expired, refundedToCard);
            case EXPIRY -> new LedgerTotals(granted, used, expired.minus(amount), refundedToCard);
            case REFUND -> amount.isPositive()
                    ? new LedgerTotals(granted.plus(amount), used, expired, refundedToCard)
                    : new LedgerTotals(granted, used, expired, refundedToCard.minus(amount));
            case ADJUSTMENT -> amount.isPositive()
                    ? new LedgerTotals(granted.plus(amount), used, expired, refundedToCard)
                    : new LedgerTotals(granted, used.minus(amount), expired, refundedToCard);
        };
    }
}
