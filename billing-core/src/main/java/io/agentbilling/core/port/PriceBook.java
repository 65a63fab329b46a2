package io.agentbilling.core.port;

import io.agentbilling.core.pricing.Plan;
import io.agentbilling.core.pricing.PriceCatalog;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The prices and plans in force. Prices are effective-dated versions ({@link PriceCatalog}), so usage is always
 * priced with the prices in force when it happened. Implementations are immutable and thread-safe; the core's own is
 * {@link io.agentbilling.core.port.VersionedPriceBook}.
 */
public interface PriceBook {

    /**
     * The plan with this code in the catalog in force now, if it has it.
     */
    Optional<Plan> plan(String code);

    /**
     * The catalog in force at {@code at}: the latest version whose {@code effectiveFrom} is at or before it; an
     * instant before the first version gets the first version (there is never a time without prices).
     *
     * @param at the instant
     */
    PriceCatalog inForceAt(Instant at);

    /**
     * Every version, oldest first.
     */
    List<PriceCatalog> versions();
}
