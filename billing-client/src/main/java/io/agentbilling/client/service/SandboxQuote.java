package io.agentbilling.client.service;

import java.math.BigDecimal;

/**
 * A sandbox runtime quote.
 *
 * @param pricePerSecondMicros millionths of a cent per second, exact (may be fractional)
 * @param costCents            the price of the seconds asked, half-even cents (0 when none were asked)
 * @param affordableSeconds    whole seconds the available credit pays for ({@link Long#MAX_VALUE} for a free size)
 * @param allowed              the credit covers the seconds asked (at least one second when none were)
 */
public record SandboxQuote(BigDecimal pricePerSecondMicros, long costCents, long costMicros, long affordableSeconds,
                           boolean allowed, long availableCents) {
}
