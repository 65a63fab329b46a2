package io.agentbilling.core.usage;

import io.agentbilling.core.error.BillingException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/** The periods of the usage report (API.md A4), each a range of whole UTC days. */
public enum UsagePeriod {
    /** The current calendar month, UTC. */
    CURRENT("current"),
    /** The last 7 UTC days, today included. */
    LAST_7_DAYS("7d"),
    /** The last 30 UTC days, today included. */
    LAST_30_DAYS("30d"),
    /** From the org's creation day through today. */
    ALL_TIME("all_time");

    private final String wireName;

    UsagePeriod(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * The period named {@code name}; null means {@link #CURRENT}, the API default; anything unknown is a 400.
     */
    public static UsagePeriod fromWireName(String name) {
        if (name == null) {
            return CURRENT;
        }
        for (UsagePeriod period : values()) {
            if (period.wireName.equals(name)) {
                return period;
            }
        }
        throw BillingException.invalid("period", "must be one of current, 7d, 30d, all_time");
    }

    /**
     * The UTC days this period covers at {@code now}. {@code orgCreatedDay} bounds {@link #ALL_TIME}; an org created
     * "after today" (clock skew between writers) still gets a range that includes today.
     *
     * @param now the current instant
     * @param orgCreatedDay the organization created day
     */
    public DayRange range(Instant now, LocalDate orgCreatedDay) {
        Objects.requireNonNull(now, "now");
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate tomorrow = today.plusDays(1);
        return switch (this) {
            case CURRENT -> new DayRange(today.withDayOfMonth(1), today.withDayOfMonth(1).plusMonths(1));
            case LAST_7_DAYS -> new DayRange(today.minusDays(6), tomorrow);
            case LAST_30_DAYS -> new DayRange(today.minusDays(29), tomorrow);
            case ALL_TIME -> {
                Objects.requireNonNull(orgCreatedDay, "orgCreatedDay");
                yield new DayRange(orgCreatedDay.isAfter(today) ? today : orgCreatedDay, tomorrow);
            }
        };
    }
}
