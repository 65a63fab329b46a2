package io.agentbilling.core.ledger;

import io.agentbilling.core.money.Credits;
import java.util.Objects;

/**
 * The running totals of an org's ledger (API.md A2), all non-negative sums of entry amounts by meaning
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

    /** The balance these totals imply. */
    public Credits impliedBalance() {
        return granted.minus(used).minus(expired).minus(refundedToCard);
    }

    /** These totals after one more entry of {@code type} and {@code amount}. */
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
