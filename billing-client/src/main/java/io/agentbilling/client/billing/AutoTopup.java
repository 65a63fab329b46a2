package io.agentbilling.client.billing;

import java.time.Instant;

/**
 * Auto top-up settings and the state of recent charges ({@code GET}/{@code PUT /v1/billing/auto-topup}).
 *
 * @param disabledReason     why auto top-up turned itself off; null otherwise
 * @param mode               {@code fixed} or {@code target_balance}
 * @param targetBalanceCents the balance a top-up brings the org back to in {@code target_balance} mode; null until set
 * @param monthlyCapCents    the most auto top-ups may charge per UTC calendar month; null for no cap
 */
public record AutoTopup(boolean enabled, long thresholdCents, long topupAmountCents, boolean hasSavedPaymentMethod,
                        Instant lastTopupAt, Instant lastFailureAt, String lastFailureReason, int consecutiveFailures,
                        String disabledReason, String mode, Long targetBalanceCents, Long monthlyCapCents) {
}
