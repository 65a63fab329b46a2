package io.agentbilling.core.spend;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The periods budgets and caps count in: the UTC calendar day and the UTC calendar month of an instant, as whole
 * days {@code [from, to)} (the rollups' unit).
 */
public final class UtcPeriods {
    private UtcPeriods() {}

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
