package io.agentbilling.core.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class UsagePeriodTest {
    private static final LocalDate CREATED = LocalDate.of(2025, 7, 4);

    private static DayRange range(UsagePeriod period, String now) {
        return period.range(Instant.parse(now), CREATED);
    }

    private static DayRange days(String from, String to) {
        return new DayRange(LocalDate.parse(from), LocalDate.parse(to));
    }

    @Test
    void current_is_the_calendar_month_from_its_first_instant_to_its_last() {
        assertThat(range(UsagePeriod.CURRENT, "2026-03-01T00:00:00Z")).isEqualTo(days("2026-03-01", "2026-04-01"));
        assertThat(range(UsagePeriod.CURRENT, "2026-03-31T23:59:59.999999999Z"))
                .isEqualTo(days("2026-03-01", "2026-04-01"));
        assertThat(range(UsagePeriod.CURRENT, "2026-12-15T08:00:00Z")).isEqualTo(days("2026-12-01", "2027-01-01"));
    }

    @Test
    void current_february_ends_on_the_first_of_march_in_leap_and_common_years() {
        assertThat(range(UsagePeriod.CURRENT, "2028-02-29T12:00:00Z")).isEqualTo(days("2028-02-01", "2028-03-01"));
        assertThat(range(UsagePeriod.CURRENT, "2027-02-28T12:00:00Z")).isEqualTo(days("2027-02-01", "2027-03-01"));
    }

    @Test
    void seven_days_are_today_and_the_six_before_it() {
        assertThat(range(UsagePeriod.LAST_7_DAYS, "2026-03-10T00:00:00Z")).isEqualTo(days("2026-03-04", "2026-03-11"));
        assertThat(range(UsagePeriod.LAST_7_DAYS, "2026-03-10T23:59:59Z")).isEqualTo(days("2026-03-04", "2026-03-11"));
        assertThat(range(UsagePeriod.LAST_7_DAYS, "2026-03-02T10:00:00Z")).isEqualTo(days("2026-02-24", "2026-03-03"));
    }

    @Test
    void thirty_days_reach_back_across_a_leap_day() {
        // 2028-03-01 minus 29 days is 2028-02-01 because February 2028 has 29 days; in 2027 it is January 31st.
        assertThat(range(UsagePeriod.LAST_30_DAYS, "2028-03-01T05:00:00Z")).isEqualTo(days("2028-02-01", "2028-03-02"));
        assertThat(range(UsagePeriod.LAST_30_DAYS, "2027-03-01T05:00:00Z")).isEqualTo(days("2027-01-31", "2027-03-02"));
    }

    @Test
    void all_time_runs_from_the_org_creation_day_through_today() {
        assertThat(range(UsagePeriod.ALL_TIME, "2026-03-10T10:00:00Z")).isEqualTo(days("2025-07-04", "2026-03-11"));
    }

    @Test
    void all_time_of_an_org_created_after_today_still_covers_today() {
        assertThat(UsagePeriod.ALL_TIME.range(Instant.parse("2026-03-10T23:59:00Z"), LocalDate.of(2026, 3, 11)))
                .isEqualTo(days("2026-03-10", "2026-03-11"));
    }

    @Test
    void the_range_exposes_midnight_utc_instants() {
        DayRange range = range(UsagePeriod.CURRENT, "2026-03-10T10:00:00Z");
        assertThat(range.from()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(range.to()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
    }

    @Test
    void wire_names_parse_and_anything_else_is_a_bad_request() {
        assertThat(UsagePeriod.fromWireName("7d")).isEqualTo(UsagePeriod.LAST_7_DAYS);
        assertThat(UsagePeriod.fromWireName("30d")).isEqualTo(UsagePeriod.LAST_30_DAYS);
        assertThat(UsagePeriod.fromWireName("all_time")).isEqualTo(UsagePeriod.ALL_TIME);
        assertThat(UsagePeriod.fromWireName(null)).isEqualTo(UsagePeriod.CURRENT);
        assertThatThrownBy(() -> UsagePeriod.fromWireName("week"))
                .isInstanceOfSatisfying(BillingException.class, e -> {
                    assertThat(e.error()).isEqualTo(BillingError.BAD_REQUEST);
                    assertThat(e.details()).extracting("field").containsExactly("period");
                });
    }
}
