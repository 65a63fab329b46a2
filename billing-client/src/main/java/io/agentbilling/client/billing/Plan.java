package io.agentbilling.client.billing;

import java.time.Instant;
import java.util.UUID;

/** The organization's plan and credit summary ({@code GET /v1/billing/plan}). */
public record Plan(UUID orgId, String plan, String planName, long balanceCents, long balanceMicros,
                   long totalGrantedCents, long totalUsedCents, Period currentPeriod, long includedCreditsCents,
                   long storageQuotaBytes, AutoTopupSummary autoTopup) {

    /** The current calendar month, UTC, {@code [from, to)}. */
    public record Period(Instant from, Instant to) {
    }

    public record AutoTopupSummary(boolean enabled, long thresholdCents, long topupAmountCents,
                                   boolean hasSavedPaymentMethod) {
    }
}
