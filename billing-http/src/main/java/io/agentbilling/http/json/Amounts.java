package io.agentbilling.http.json;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usecase.Commands;

/**
 * Reads money amounts from requests. The API's bound on a single amount is {@value #MAX_CENTS} cents (one billion
 * dollars) and its equivalent in micros: far above any real charge or grant, and far enough below the ledger's
 * {@code long} of micros that no sum of plausible writes overflows it. Past the bound, and for a sign the field does
 * not allow, the answer is 400 naming the field — never a 500 from an overflow.
 */
public final class Amounts {
    /** The same bound in micros of a cent: the core's, which it enforces for embedders too. */
    public static final long MAX_MICROS = Commands.MAX_AMOUNT_MICROS;
    /** The largest amount one request may name, in cents. */
    public static final long MAX_CENTS = MAX_MICROS / Credits.MICROS_PER_CENT;

    private Amounts() {
    }

    /** Signed cents, |cents| ≤ {@value #MAX_CENTS}. */
    public static Credits cents(String field, long cents) {
        if (cents > MAX_CENTS || cents < -MAX_CENTS) {
            throw BillingException.invalid(field, "must be between " + -MAX_CENTS + " and " + MAX_CENTS);
        }
        return Credits.ofCents(cents);
    }

    /** 0 ≤ cents ≤ {@value #MAX_CENTS}. */
    public static Credits nonNegativeCents(String field, long cents) {
        if (cents < 0) {
            throw BillingException.invalid(field, "must be >= 0");
        }
        return cents(field, cents);
    }

    /** 1 ≤ cents ≤ {@value #MAX_CENTS}. */
    public static Credits positiveCents(String field, long cents) {
        if (cents <= 0) {
            throw BillingException.invalid(field, "must be > 0");
        }
        return cents(field, cents);
    }

    /** 1 ≤ micros ≤ {@value #MAX_MICROS}. */
    public static Credits positiveMicros(String field, long micros) {
        if (micros <= 0) {
            throw BillingException.invalid(field, "must be > 0");
        }
        if (micros > MAX_MICROS) {
            throw BillingException.invalid(field, "must be <= " + MAX_MICROS);
        }
        return Credits.ofMicros(micros);
    }

    /** A credit amount as whole cents, half-even: the rule for a single amount (spec/API.md §0). */
    public static long centsOf(Credits amount) {
        return amount.toCentsHalfEven();
    }

    /** A balance as whole cents, rounded toward negative infinity (spec/API.md §0). */
    public static long balanceCentsOf(Credits balance) {
        return balance.toCentsFloor();
    }
}
