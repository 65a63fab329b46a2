package io.agentbilling.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CreditsTest {

    @Test
    void cents_and_micros_convert_exactly() {
        assertThat(Credits.ofCents(500).micros()).isEqualTo(500_000_000L);
        assertThat(Credits.ofMicros(1_234).micros()).isEqualTo(1_234L);
        assertThat(Credits.ofCents(-3).micros()).isEqualTo(-3_000_000L);
    }

    @Test
    void balances_round_toward_negative_infinity() {
        assertThat(Credits.ofMicros(1_999_999).toCentsFloor()).isEqualTo(1);
        assertThat(Credits.ofMicros(-1).toCentsFloor()).isEqualTo(-1);
        assertThat(Credits.ofMicros(-1_000_000).toCentsFloor()).isEqualTo(-1);
        assertThat(Credits.ofMicros(-1_000_001).toCentsFloor()).isEqualTo(-2);
        assertThat(Credits.ZERO.toCentsFloor()).isZero();
    }

    @Test
    void amounts_that_left_a_balance_can_round_toward_positive_infinity() {
        assertThat(Credits.ofMicros(1).toCentsCeiling()).isEqualTo(1);
        assertThat(Credits.ofMicros(1_000_000).toCentsCeiling()).isEqualTo(1);
        assertThat(Credits.ofMicros(1_000_001).toCentsCeiling()).isEqualTo(2);
        assertThat(Credits.ofMicros(-1).toCentsCeiling()).isZero();
        assertThat(Credits.ofMicros(-1_000_001).toCentsCeiling()).isEqualTo(-1);
        assertThat(Credits.ZERO.toCentsCeiling()).isZero();
    }

    @Test
    void single_amounts_round_half_even() {
        assertThat(Credits.ofMicros(500_000).toCentsHalfEven()).isZero();
        assertThat(Credits.ofMicros(1_500_000).toCentsHalfEven()).isEqualTo(2);
        assertThat(Credits.ofMicros(2_500_000).toCentsHalfEven()).isEqualTo(2);
        assertThat(Credits.ofMicros(2_500_001).toCentsHalfEven()).isEqualTo(3);
        assertThat(Credits.ofMicros(-2_500_000).toCentsHalfEven()).isEqualTo(-2);
        assertThat(Credits.ofMicros(-1_500_000).toCentsHalfEven()).isEqualTo(-2);
        assertThat(Credits.ofMicros(-500_001).toCentsHalfEven()).isEqualTo(-1);
    }

    @Test
    void rounding_works_at_the_long_limits() {
        assertThat(Credits.ofMicros(Long.MAX_VALUE).toCentsFloor()).isEqualTo(Long.MAX_VALUE / 1_000_000);
        assertThat(Credits.ofMicros(Long.MIN_VALUE).toCentsFloor()).isEqualTo(Math.floorDiv(Long.MIN_VALUE, 1_000_000L));
        assertThat(Credits.ofMicros(Long.MAX_VALUE).toCentsHalfEven()).isEqualTo(9_223_372_036_855L);
        assertThat(Credits.ofMicros(Long.MIN_VALUE).toCentsHalfEven()).isEqualTo(-9_223_372_036_855L);
    }

    @Test
    void arithmetic_overflow_throws_instead_of_wrapping() {
        assertThatThrownBy(() -> Credits.ofMicros(Long.MAX_VALUE).plus(Credits.ofMicros(1)))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Credits.ofMicros(Long.MIN_VALUE).minus(Credits.ofMicros(1)))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Credits.ofMicros(Long.MIN_VALUE).negate()).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Credits.ofCents(Long.MAX_VALUE / 1_000_000 + 1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Credits.ofMicros(Long.MAX_VALUE / 2 + 1).times(2)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void the_pricing_rounding_point_is_half_even_to_the_micro() {
        assertThat(Credits.roundHalfEvenToMicros(new BigDecimal("2.5"))).isEqualTo(Credits.ofMicros(2));
        assertThat(Credits.roundHalfEvenToMicros(new BigDecimal("3.5"))).isEqualTo(Credits.ofMicros(4));
        assertThat(Credits.roundHalfEvenToMicros(new BigDecimal("3.5000001"))).isEqualTo(Credits.ofMicros(4));
        assertThat(Credits.roundHalfEvenToMicros(new BigDecimal("-2.5"))).isEqualTo(Credits.ofMicros(-2));
        assertThatThrownBy(() -> Credits.roundHalfEvenToMicros(new BigDecimal("9223372036854775808")))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void a_unit_price_charges_exactly_then_rounds_once() {
        UnitPrice perToken = UnitPrice.centsPerMillion("0.075"); // $0.00075 per million tokens
        assertThat(perToken.exactMicros(3)).isEqualByComparingTo("0.225");
        assertThat(Credits.roundHalfEvenToMicros(perToken.exactMicros(10))).isEqualTo(Credits.ofMicros(1)); // 0.75
        assertThat(UnitPrice.centsPer(new BigDecimal("300"), 1_000_000).exactMicros(1_000_000))
                .isEqualByComparingTo("300000000");
        assertThatThrownBy(() -> new UnitPrice(new BigDecimal("-1"))).isInstanceOf(IllegalArgumentException.class);
    }
}
