package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.usecase.SettlementResult;
import io.agentbilling.http.json.Amounts;

/** What a usage settlement charged (model usage, tools, storage, resource charges, batch events). */
public record ChargeView(
        @JsonPropertyDescription("The charge in cents, rounded half-even") long chargedCents,
        @JsonPropertyDescription("The exact charge in millionths of a cent") long chargedMicros,
        @JsonPropertyDescription("The usage entry on the ledger; null when nothing was charged (BYOK, free)")
        EntryId entryId,
        @JsonPropertyDescription("The balance right after the settlement (for a replay: after the original), cents "
                + "rounded toward negative infinity") long balanceCents,
        @JsonPropertyDescription("The same balance, exact, in millionths of a cent") long balanceMicros,
        @JsonPropertyDescription("True when this repeats an earlier request with the same idempotency key")
        boolean replayed) {

    public static ChargeView of(SettlementResult result) {
        return new ChargeView(Amounts.centsOf(result.charged()), result.chargedMicros(), result.entryId(),
                Amounts.balanceCentsOf(result.balanceAfter()), result.balanceAfter().micros(), result.replayed());
    }
}
