package io.agentbilling.core.money;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import java.util.List;

/**
 * The rules for an amount a caller names — a grant, an adjustment, a deduction, a price it computed itself: the one
 * place they live, for the HTTP API and for embedders alike. A caller names an amount in whole cents or in micros
 * (a field {@code <name>Cents} or {@code <name>Micros}); one amount is at most {@value #MAX_CENTS} cents (one billion
 * dollars) either way, far above any real charge or grant and far enough below a {@code long} of micros that no
 * plausible sum of writes overflows an account; and each field allows the sign its meaning needs. A refusal is a
 * 400 naming the field, never an overflow. Stateless.
 */
public final class CreditAmounts {
    /** The largest amount one write may name, in cents: one billion dollars. */
    public static final long MAX_CENTS = 100_000_000_000L;
    /** {@link #MAX_CENTS} in micros. */
    public static final long MAX_MICROS = MAX_CENTS * Credits.MICROS_PER_CENT;

    private CreditAmounts() {}

    /** The signs a field allows. */
    public enum Sign {
        /** Any amount within the bound, 0 included. */
        ANY,
        /** A signed amount other than 0 (a correction moves money one way or the other). */
        NON_ZERO,
        /** 1 or more (a charge or a grant). */
        POSITIVE,
        /** 0 or more (0 meaning none). */
        NON_NEGATIVE
    }

    /**
     * An amount named in whole cents.
     *
     * @param field the field that named it, for the refusal
     * @param cents the amount
     * @param sign  the signs the field allows
     * @return the amount as credit
     * @throws BillingException {@code BAD_REQUEST} naming {@code field} for a sign it does not allow or a value past
     *                          the bound
     */
    public static Credits cents(String field, long cents, Sign sign) {
        requireSign(field, cents, sign);
        if (cents > MAX_CENTS || cents < -MAX_CENTS) {
            throw BillingException.invalid(field, "must be between " + -MAX_CENTS + " and " + MAX_CENTS);
        }
        return Credits.ofCents(cents);
    }

    /**
     * An amount named in micros.
     *
     * @param field  the field that named it, for the refusal
     * @param micros the amount
     * @param sign   the signs the field allows
     * @return the amount as credit
     * @throws BillingException {@code BAD_REQUEST} naming {@code field} for a sign it does not allow or a value past
     *                          the bound
     */
    public static Credits micros(String field, long micros, Sign sign) {
        requireSign(field, micros, sign);
        if (micros > MAX_MICROS || micros < -MAX_MICROS) {
            throw BillingException.invalid(field, micros > 0 ? "must be <= " + MAX_MICROS : "must be >= " + -MAX_MICROS);
        }
        return Credits.ofMicros(micros);
    }

    /**
     * An optional amount a caller may name in cents ({@code <name>Cents}) or in micros ({@code <name>Micros}), not
     * both.
     *
     * @param name   the fields' common stem, e.g. {@code amount}
     * @param cents  the amount in cents, or null
     * @param micros the amount in micros, or null
     * @param sign   the signs the fields allow
     * @return the amount, or null when neither field is given
     * @throws BillingException {@code BAD_REQUEST} naming both fields when both are given, or the field at fault
     */
    public static Credits optional(String name, Long cents, Long micros, Sign sign) {
        if (cents != null && micros != null) {
            throw oneOf(name, "give " + name + "Cents or " + name + "Micros, not both");
        }
        if (cents != null) {
            return cents(name + "Cents", cents, sign);
        }
        return micros == null ? null : micros(name + "Micros", micros, sign);
    }

    /**
     * A required amount a caller names in cents ({@code <name>Cents}) or in micros ({@code <name>Micros}).
     *
     * @param name   the fields' common stem, e.g. {@code amount}
     * @param cents  the amount in cents, or null
     * @param micros the amount in micros, or null
     * @param sign   the signs the fields allow
     * @return the amount
     * @throws BillingException {@code BAD_REQUEST} naming both fields unless exactly one is given, or the field at
     *                          fault
     */
    public static Credits required(String name, Long cents, Long micros, Sign sign) {
        if (cents == null && micros == null) {
            throw oneOf(name, "give exactly one of " + name + "Cents and " + name + "Micros");
        }
        return optional(name, cents, micros, sign);
    }

    private static BillingException oneOf(String name, String issue) {
        return BillingException.invalid(name + "Cents or " + name + "Micros is required, not both",
                List.of(new FieldIssue(name + "Cents", issue), new FieldIssue(name + "Micros", issue)));
    }

    private static void requireSign(String field, long value, Sign sign) {
        switch (sign) {
            case POSITIVE -> {
                if (value <= 0) {
                    throw BillingException.invalid(field, "must be > 0");
                }
            }
            case NON_NEGATIVE -> {
                if (value < 0) {
                    throw BillingException.invalid(field, "must be >= 0");
                }
            }
            case NON_ZERO -> {
                if (value == 0) {
                    throw BillingException.invalid(field, "must not be 0");
                }
            }
            case ANY -> { }
        }
    }
}
