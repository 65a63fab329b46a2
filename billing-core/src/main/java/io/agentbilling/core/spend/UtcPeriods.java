package io.agentbilling.core.spend;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The periods budgets and caps count in: the UTC calendar day and the UTC calendar month of an instant, as whole
 * days {@code [from, to)} (the rollups' unit).
 */
public final class UtcPeriods {
    private UtcPeriods() {}

    /**
     * The clock's time at the precision stores keep (microseconds, as PostgreSQL's {@code timestamptz}), so that what
     * a write answers equals what a later read returns.
     */
    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /** The first day of the month {@code at} falls in (UTC). */
    public static LocalDate monthStart(Instant at) {
        return day(at).withDayOfMonth(1);
    }

    /** The first day of {@code day}'s month. */
    public static LocalDate monthStart(LocalDate day) {
        return day.withDayOfMonth(1);
    }
}
