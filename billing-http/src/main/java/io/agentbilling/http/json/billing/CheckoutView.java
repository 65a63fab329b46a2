package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.usecase.VerifyCheckout;

/** The answer of {@code GET /v1/billing/success} (API.md A6). */
@JsonClassDescription("A checkout session's state and whether its top-up is on the ledger")
public record CheckoutView(
        String sessionId,
        @JsonPropertyDescription("paid, unpaid, open or expired") String status,
        @JsonPropertyDescription("The amount the session charges, in cents") long amountCents,
        @JsonPropertyDescription("True once the top-up is on the ledger (exactly once, whoever got there first)")
        boolean credited,
        @JsonPropertyDescription("The organization's balance now, rounded toward negative infinity") long balanceCents,
        @JsonPropertyDescription("The exact balance, in millionths of a cent") long balanceMicros,
        @JsonPropertyDescription("The top-up's ledger entry; null until credited") EntryId entryId) {

    public static CheckoutView of(VerifyCheckout.Result result) {
        return new CheckoutView(result.sessionId(), result.status().wireName(), result.amountCents(),
                result.credited(), result.balance().toCentsFloor(), result.balance().micros(), result.entryId());
    }
}
