package io.agentbilling.core.usecase;

import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.pricing.PriceCatalog;
import java.time.Clock;
import java.util.Objects;

/** The price catalog in force now (API.md Part B {@code pricing}), with its version and effective time. Thread-safe. */
public final class GetPricing {
    private final PriceBook prices;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param prices the prices in force
     * @param clock the clock that tells the time
     */
    public GetPricing(PriceBook prices, Clock clock) {
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The catalog in force now. Refuses nothing.
     *
     * @return the catalog
     */
    public PriceCatalog execute() {
        return prices.inForceAt(clock.instant());
    }
}
