package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.agentbilling.core.usecase.QuoteSandboxRuntime;
import io.agentbilling.http.json.Amounts;
import io.agentbilling.http.json.PlainDecimal;
import java.math.BigDecimal;

/** A sandbox runtime quote. */
public record SandboxQuoteView(
        @JsonPropertyDescription("Millionths of a cent per second, an exact decimal (may be fractional)")
        @JsonSerialize(using = PlainDecimal.class) BigDecimal pricePerSecondMicros,
        @JsonPropertyDescription("The price of the seconds asked, cents rounded half-even (0 when none were asked)")
        long costCents,
        long costMicros,
        @JsonPropertyDescription("Whole seconds the available credit pays for; 9223372036854775807 for a free size")
        long affordableSeconds,
        @JsonPropertyDescription("The credit covers the seconds asked (at least one second when none were)")
        boolean allowed,
        @JsonPropertyDescription("The credit the quote counted on, cents rounded toward negative infinity")
        long availableCents) {

    public static SandboxQuoteView of(QuoteSandboxRuntime.Result result) {
        return new SandboxQuoteView(result.pricePerSecond().microsPerUnit(), Amounts.centsOf(result.cost()),
                result.cost().micros(), result.affordableSeconds(), result.allowed(),
                Amounts.balanceCentsOf(result.available()));
    }
}
