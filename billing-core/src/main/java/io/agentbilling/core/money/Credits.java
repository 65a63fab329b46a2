package io.agentbilling.core.money;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * An exact amount of prepaid credit, counted in micros: millionths of a US cent. Signed (debits are negative,
 * balances may go below zero). All arithmetic is exact and throws {@link ArithmeticException} on overflow; there is
 * no floating point anywhere near it. The public {@code …Cents} figures are derived with the two rounding rules of
 * the API: balances round toward negative infinity ({@link #toCentsFloor()}), single amounts half-even
 * ({@link #toCentsHalfEven()}).
 */
public record Credits(long micros) implements Comparable<Credits> {
    public static final long MICROS_PER_CENT = 1_000_000L;
    public static final Credits ZERO = new Credits(0);

    /**
     * @param micros the amount in micros
     */
    public static Credits ofMicros(long micros) {
        return micros == 0 ? ZERO : new Credits(micros);
    }

    /**
     * Whole cents; throws when the amount does not fit in micros on a {@code long} (about ±92 billion dollars).
     *
     * @param cents the amount in cents
     */
    public static Credits ofCents(long cents) {
        return new Credits(Math.multiplyExact(cents, MICROS_PER_CENT));
    }

    /**
     * @param other the other one
     */
    public Credits plus(Credits other) {
        return new Credits(Math.addExact(micros, other.micros));
    }

    /**
     * @param other the other one
     */
    public Credits minus(Credits other) {
        return new Credits(Math.subtractExact(micros, other.micros));
    }

    public Credits negate() {
        return new Credits(Math.negateExact(micros));
    }

    public Credits times(long factor) {
        return new Credits(Math.multiplyExact(micros, factor));
    }

    public Credits abs() {
        return micros < 0 ? negate() : this;
    }

    public static Credits min(Credits a, Credits b) {
        return a.micros <= b.micros ? a : b;
    }

    public static Credits max(Credits a, Credits b) {
        return a.micros >= b.micros ? a : b;
    }

    public boolean isZero() {
        return micros == 0;
    }

    public boolean isNegative() {
        return micros < 0;
    }

    public boolean isPositive() {
        return micros > 0;
    }

    /**
     * @param other the other one
     */
    public boolean isLessThan(Credits other) {
        return micros < other.micros;
    }

    /**
     * @param other the other one
     */
    public boolean isAtLeast(Credits other) {
        return micros >= other.micros;
    }

    /**
     * Rounded toward negative infinity: a balance of -0.5 cent shows as -1, never as a credit the org lacks.
     */
    public long toCentsFloor() {
        return Math.floorDiv(micros, MICROS_PER_CENT);
    }

    /**
     * Rounded toward positive infinity (what left a balance, shown beside a balance rounded down).
     */
    public long toCentsCeiling() {
        return -Math.floorDiv(Math.negateExact(micros), MICROS_PER_CENT);
    }

    /**
     * Rounded half-even: the rule for a single charge or credit.
     */
    public long toCentsHalfEven() {
        return BigDecimal.valueOf(micros).divide(BigDecimal.valueOf(MICROS_PER_CENT), 0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }

    /**
     * The one rounding point of pricing: an exact rational number of micros rounded half-even to a whole micro.
     * Throws when the result does not fit a {@code long}.
     *
     * @return the round half even to micros
     */
    public static Credits roundHalfEvenToMicros(BigDecimal exactMicros) {
        BigInteger rounded = exactMicros.setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        return ofMicros(rounded.longValueExact());
    }

    @Override
    public int compareTo(Credits other) {
        return Long.compare(micros, other.micros);
    }

    @Override
    public String toString() {
        return micros + "µ¢";
    }
}
