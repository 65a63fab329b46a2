package io.agentbilling.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.money.Credits;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The public cents figures of an account keep API.md A2's identity exactly, whatever the micros. */
class LedgerTotalsCentsTest {

    @Test
    void a_fraction_of_a_cent_used_shows_as_one_cent_used_and_one_cent_less_balance() {
        LedgerTotals totals = new LedgerTotals(Credits.ofCents(500), Credits.ofMicros(400_000), Credits.ZERO,
                Credits.ZERO);

        LedgerTotals.InCents cents = totals.inCents();

        assertThat(cents).isEqualTo(new LedgerTotals.InCents(499, 500, 1, 0, 0));
    }

    @Test
    void whole_cents_stay_as_they_are() {
        LedgerTotals totals = new LedgerTotals(Credits.ofCents(3000), Credits.ofCents(1200), Credits.ofCents(300),
                Credits.ofCents(500));

        assertThat(totals.inCents()).isEqualTo(new LedgerTotals.InCents(1000, 3000, 1200, 300, 500));
    }

    @Test
    void a_fractional_expiry_rounds_up_and_used_stays_within_a_cent() {
        // 500 granted, 0.52 used, 499.48 of the grant expired: balance 0.
        LedgerTotals totals = new LedgerTotals(Credits.ofCents(500), Credits.ofMicros(520_000),
                Credits.ofMicros(499_480_000), Credits.ZERO);

        assertThat(totals.inCents()).isEqualTo(new LedgerTotals.InCents(0, 500, 0, 500, 0));
    }

    @Test
    void a_negative_balance_rounds_down_and_used_follows() {
        LedgerTotals totals = new LedgerTotals(Credits.ofCents(100), Credits.ofMicros(100_500_000), Credits.ZERO,
                Credits.ZERO);

        assertThat(totals.inCents()).isEqualTo(new LedgerTotals.InCents(-1, 100, 101, 0, 0));
    }

    @Property(tries = 500)
    void the_cents_identity_holds_and_used_stays_less_than_a_cent_from_the_exact_total(
            @ForAll @LongRange(min = 0, max = 1_000_000) long grantedCents,
            @ForAll @LongRange(min = 0, max = 2_000_000_000_000L) long usedMicros,
            @ForAll @LongRange(min = 0, max = 1_000) long expiredPartMillis,
            @ForAll @LongRange(min = 0, max = 1_000) long refundedCents) {
        Credits granted = Credits.ofCents(grantedCents);
        // Expiry takes part of what usage left over, as it does in the ledger (a grant's unconsumed remainder).
        long leftMicros = Math.max(0, granted.micros() - usedMicros);
        Credits expired = Credits.ofMicros(leftMicros * expiredPartMillis / 1_000);
        Credits refunded = Credits.ofCents(Math.min(refundedCents, grantedCents));
        LedgerTotals totals = new LedgerTotals(granted, Credits.ofMicros(usedMicros), expired, refunded);

        LedgerTotals.InCents cents = totals.inCents();

        assertThat(cents.balanceCents()).isEqualTo(totals.impliedBalance().toCentsFloor());
        assertThat(cents.balanceCents()).isEqualTo(cents.grantedCents() - cents.usedCents() - cents.expiredCents()
                - cents.refundedToCardCents());
        assertThat(cents.usedCents()).isGreaterThanOrEqualTo(0);
        assertThat(Math.abs(cents.usedCents() * Credits.MICROS_PER_CENT - usedMicros))
                .isLessThan(Credits.MICROS_PER_CENT);
    }
}
