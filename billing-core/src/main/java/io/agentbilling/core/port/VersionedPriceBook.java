package io.agentbilling.core.port;

import io.agentbilling.core.pricing.Plan;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.core.port.PriceBook;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link PriceBook} over a fixed list of catalog versions. Versions must have distinct names and distinct
 * effective instants; they are kept sorted by effective instant. Immutable and thread-safe.
 */
public final class VersionedPriceBook implements PriceBook {
    private final List<PriceCatalog> versions;
    private final Clock clock;

    /**
     * @param clock decides which version's plans {@link #plan(String)} reads
     */
    public VersionedPriceBook(List<PriceCatalog> versions, Clock clock) {
        Objects.requireNonNull(versions, "versions");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("a price book needs at least one catalog version");
        }
        List<PriceCatalog> sorted = versions.stream()
                .sorted(Comparator.comparing(PriceCatalog::effectiveFrom))
                .toList();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < sorted.size(); i++) {
            if (!names.add(sorted.get(i).version())) {
                throw new IllegalArgumentException("catalog version " + sorted.get(i).version() + " appears twice");
            }
            if (i > 0 && sorted.get(i).effectiveFrom().equals(sorted.get(i - 1).effectiveFrom())) {
                throw new IllegalArgumentException("catalog versions " + sorted.get(i - 1).version() + " and "
                        + sorted.get(i).version() + " take effect at the same instant");
            }
        }
        this.versions = sorted;
    }

    /**
     * A book with one version, in force at all times (so no clock decides which version is in force).
     *
     * @param catalog the price catalog
     */
    public static VersionedPriceBook single(PriceCatalog catalog) {
        return new VersionedPriceBook(List.of(catalog), Clock.fixed(catalog.effectiveFrom(), ZoneOffset.UTC));
    }

    @Override
    public Optional<Plan> plan(String code) {
        return inForceAt(clock.instant()).plan(code);
    }

    @Override
    public PriceCatalog inForceAt(Instant at) {
        Objects.requireNonNull(at, "at");
        PriceCatalog found = versions.get(0);
        for (PriceCatalog version : versions) {
            if (version.effectiveFrom().isAfter(at)) {
                break;
            }
            found = version;
        }
        return found;
    }

    @Override
    public List<PriceCatalog> versions() {
        return versions;
    }
}
