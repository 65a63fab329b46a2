package io.agentbilling.core.money;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A price per unit as an exact decimal number of micros (e.g. "$3.00 per million tokens" is 300 micros per token,
 * "$0.075 per million" is 0.075). Never rounded on its own: a charge multiplies quantities exactly and rounds once,
 * through {@link Credits#roundHalfEvenToMicros(BigDecimal)}.
 */
public record UnitPrice(BigDecimal microsPerUnit) {
    public static final UnitPrice FREE = new UnitPrice(BigDecimal.ZERO);

    public UnitPrice {
        Objects.requireNonNull(microsPerUnit, "microsPerUnit");
        if (microsPerUnit.signum() < 0) {
            throw new IllegalArgumentException("a price cannot be negative: " + microsPerUnit);
        }
        microsPerUnit = microsPerUnit.stripTrailingZeros();
    }

    /**
     * A price quoted in cents (with any number of decimals) per {@code units} units, e.g. 300 cents per 1e6 tokens.
     *
     * @param cents the amount in cents
     */
    public static UnitPrice centsPer(BigDecimal cents, long units) {
        if (units <= 0) {
            throw new IllegalArgumentException("units must be positive");
        }
        return new UnitPrice(cents.multiply(BigDecimal.valueOf(Credits.MICROS_PER_CENT))
                .divide(BigDecimal.valueOf(units), java.math.MathContext.DECIMAL128));
    }

    /**
     * @param cents the amount in cents
     */
    public static UnitPrice centsPerMillion(String cents) {
        return new UnitPrice(new BigDecimal(cents)); // cents per 1e6 units == micros per unit
    }

    /**
     * @param micros the amount in micros
     */
    public static UnitPrice microsPerUnit(String micros) {
        return new UnitPrice(new BigDecimal(micros));
    }

    /**
     * The exact, unrounded cost of {@code quantity} units, in micros.
     */
    public BigDecimal exactMicros(long quantity) {
        return microsPerUnit.multiply(BigDecimal.valueOf(quantity));
    }

    /**
     * Cents per million units, the way model prices are quoted.
     */
    public BigDecimal centsPerMillion() {
        return microsPerUnit;
    }

    public boolean isFree() {
        return microsPerUnit.signum() == 0;
    }

}
