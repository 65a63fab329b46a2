package io.agentbilling.core.pricing;

import io.agentbilling.core.money.UnitPrice;
import java.util.Objects;

/** The price of a metered resource per {@code unit} (e.g. {@code code_exec} per {@code seconds}). */
public record ResourcePrice(String unit, UnitPrice price) {
    public ResourcePrice {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(price, "price");
        if (unit.isBlank()) {
            throw new IllegalArgumentException("a resource price needs a unit");
        }
    }
}
