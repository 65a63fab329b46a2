package io.agentbilling.core.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/** A half-open range of UTC days {@code [fromDay, toDay)}; never empty. */
public record DayRange(LocalDate fromDay, LocalDate toDay) {
    public DayRange {
        Objects.requireNonNull(fromDay, "fromDay");
        Objects.requireNonNull(toDay, "toDay");
        if (!fromDay.isBefore(toDay)) {
            throw new IllegalArgumentException("day range [" + fromDay + ", " + toDay + ") is empty");
        }
    }

    /**
     * First instant of the range: midnight UTC of {@code fromDay}.
     */
    public Instant from() {
        return fromDay.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /**
     * The end of the range, exclusive: midnight UTC of {@code toDay}.
     */
    public Instant to() {
        return toDay.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
