package io.agentbilling.core.pricing;

import io.agentbilling.core.money.UnitPrice;
import java.util.Objects;

/**
 * The Platform price of one model, per token. {@code input} prices uncached input tokens and {@code cachedInput}
 * the input tokens served from the provider's prompt cache; a call reports the two counts separately.
 */
public record ModelPrice(UnitPrice input, UnitPrice output, UnitPrice cachedInput) {
    public ModelPrice {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(cachedInput, "cachedInput");
    }

    /**
     * Prices quoted the usual way, in cents per million tokens (numerically micros per token).
     */
    public static ModelPrice centsPerMillion(String input, String output, String cachedInput) {
        return new ModelPrice(UnitPrice.centsPerMillion(input), UnitPrice.centsPerMillion(output),
                UnitPrice.centsPerMillion(cachedInput));
    }
}
