package io.agentbilling.core.port;

import io.agentbilling.core.pricing.Plan;
import java.util.Optional;

/**
 * The prices and plans in force. Prices are effective-dated versions, so usage is always priced with the prices in
 * force when it happened; see {@code PriceCatalog}. Implementations are immutable and thread-safe.
 */
public interface PriceBook {

    /** The plan with this code, if the catalog has it. */
    Optional<Plan> plan(String code);
}
