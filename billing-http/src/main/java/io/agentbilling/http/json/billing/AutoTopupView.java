package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.payment.AutoTopupSettings;
import java.time.Instant;

/** {@code GET} and {@code PUT /v1/billing/auto-topup} (API.md A7, A8). */
@JsonClassDescription("Auto top-up settings and the state of recent charges")
public record AutoTopupView(
        boolean enabled,
        @JsonPropertyDescription("A debit taking the balance from at or above this to below it starts a top-up")
        long thresholdCents,
        @JsonPropertyDescription("What one auto top-up charges, in cents") long topupAmountCents,
        @JsonPropertyDescription("A card saved by a paid checkout, chargeable off-session") boolean hasSavedPaymentMethod,
        @JsonPropertyDescription("When an auto top-up last landed on the ledger; null until one did") Instant lastTopupAt,
        @JsonPropertyDescription("When a charge last failed; null if none did") Instant lastFailureAt,
        @JsonPropertyDescription("The provider's reason for the last failure (e.g. card_declined)")
        String lastFailureReason,
        @JsonPropertyDescription("Failed charges since the last success or re-enabling") int consecutiveFailures,
        @JsonPropertyDescription("Why auto top-up turned itself off; null otherwise") String disabledReason,
        @JsonPropertyDescription("fixed or target_balance") String mode,
        @JsonPropertyDescription("The balance a top-up brings the org back to in target_balance mode; null until set")
        Long targetBalanceCents,
        @JsonPropertyDescription("The most auto top-ups may charge per UTC calendar month; null for no cap")
        Long monthlyCapCents) {

    public static AutoTopupView of(io.agentbilling.core.payment.AutoTopupView view) {
        AutoTopupSettings s = view.settings();
        return new AutoTopupView(s.enabled(), s.thresholdCents(), s.topupAmountCents(), view.hasSavedPaymentMethod(),
                s.lastTopupAt(), s.lastFailureAt(), s.lastFailureReason(), s.consecutiveFailures(),
                s.disabledReason(), s.mode().wireName(), s.targetBalanceCents(), s.monthlyCapCents());
    }
}
