package io.agentbilling.core.port;

import io.agentbilling.core.pricing.Plan;
import io.agentbilling.core.pricing.PriceCatalog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.money.Credits;
import io.agentbilling.core.money.UnitPrice;
import io.agentbilling.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionedPriceBookTest {
    private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant T3 = Instant.parse("2027-01-01T00:00:00Z");

    private static PriceCatalog version(String name, Instant from, String smallPerSecond, long freeQuotaBytes) {
        return PriceCatalog.builder(name, from)
                .sandboxPerSecond("small", UnitPrice.microsPerUnit(smallPerSecond))
                .storagePerGiBMonth(UnitPrice.FREE).toolExecution(UnitPrice.FREE)
                .plan(new Plan("free", "Free", Credits.ZERO, 0, freeQuotaBytes))
                .build();
    }

    private final MutableClock clock = new MutableClock(T2);
    private final VersionedPriceBook book = new VersionedPriceBook(List.of(
            version("v3", T3, "3", 3), version("v1", T1, "1", 1), version("v2", T2, "2", 2)), clock);

    @Test
    void the_version_in_force_is_the_latest_that_took_effect_at_or_before_the_instant() {
        assertThat(book.inForceAt(T2.minusNanos(1)).version()).isEqualTo("v1");
        assertThat(book.inForceAt(T2).version()).isEqualTo("v2");
        assertThat(book.inForceAt(T3.minusNanos(1)).version()).isEqualTo("v2");
        assertThat(book.inForceAt(T3).version()).isEqualTo("v3");
        assertThat(book.inForceAt(Instant.parse("2100-01-01T00:00:00Z")).version()).isEqualTo("v3");
    }

    @Test
    void before_the_first_version_the_first_one_applies() {
        assertThat(book.inForceAt(Instant.EPOCH).version()).isEqualTo("v1");
    }

    @Test
    void usage_at_a_boundary_is_priced_by_the_new_version() {
        assertThat(book.inForceAt(T2.minusNanos(1)).chargeForSandbox("small", 10)).isEqualTo(Credits.ofMicros(10));
        assertThat(book.inForceAt(T2).chargeForSandbox("small", 10)).isEqualTo(Credits.ofMicros(20));
    }

    @Test
    void versions_are_kept_oldest_first() {
        assertThat(book.versions()).extracting(PriceCatalog::version).containsExactly("v1", "v2", "v3");
    }

    @Test
    void plans_come_from_the_version_in_force_on_the_clock() {
        assertThat(book.plan("free").orElseThrow().storageQuotaBytes()).isEqualTo(2);
        clock.set(T3);
        assertThat(book.plan("free").orElseThrow().storageQuotaBytes()).isEqualTo(3);
        assertThat(book.plan("platinum")).isEmpty();
    }

    @Test
    void versions_must_have_distinct_names_and_distinct_effective_instants() {
        assertThatThrownBy(() -> new VersionedPriceBook(List.of(version("a", T1, "1", 1), version("a", T2, "1", 1)),
                clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VersionedPriceBook(List.of(version("a", T1, "1", 1), version("b", T1, "1", 1)),
                clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VersionedPriceBook(List.of(), clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
