package io.agentbilling.client.billing;

import java.time.Instant;

/**
 * Auto top-up settings and the state of recent charges ({@code GET}/{@code PUT /v1/billing/auto-topup}).
 *
 * @param disabledReason why auto top-up turned itself off; null otherwise
 */
public record AutoTopup(boolean enabled, long thresholdCents, long topupAmountCents, boolean hasSavedPaymentMethod,
                        Instant lastTopupAt, Instant lastFailureAt, String lastFailureReason, int consecutiveFailures,
                        String disabledReason) {
}
