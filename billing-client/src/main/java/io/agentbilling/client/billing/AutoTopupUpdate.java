package io.agentbilling.client.billing;

import java.util.UUID;

/**
 * Changes to the auto top-up settings ({@code PUT /v1/billing/auto-topup}, admins only): a null field keeps its
 * value. Setting values is naturally idempotent, so the call is retried like a read.
 *
 * @param mode               {@code fixed} or {@code target_balance}
 * @param targetBalanceCents the balance a top-up brings the org back to in {@code target_balance} mode
 * @param monthlyCapCents    the most auto top-ups may charge per UTC calendar month
 * @param noMonthlyCap       true removes the monthly cap
 */
public record AutoTopupUpdate(UUID orgId, Boolean enabled, Long thresholdCents, Long topupAmountCents, String mode,
                              Long targetBalanceCents, Long monthlyCapCents, Boolean noMonthlyCap) {

    /**
     * The change of the four settings there were before the amount rule existed.
     *
     * @param orgId the organization
     */
    public AutoTopupUpdate(UUID orgId, Boolean enabled, Long thresholdCents, Long topupAmountCents) {
        this(orgId, enabled, thresholdCents, topupAmountCents, null, null, null, null);
    }

    /**
     * No change yet.
     *
     * @return an empty change
     */
    public static AutoTopupUpdate of() {
        return new AutoTopupUpdate(null, null, null, null);
    }

    /**
     * A copy with another organization id.
     *
     * @param org the organization
     */
    public AutoTopupUpdate withOrgId(UUID org) {
        return new AutoTopupUpdate(org, enabled, thresholdCents, topupAmountCents, mode, targetBalanceCents,
                monthlyCapCents, noMonthlyCap);
    }

    /**
     * Turning it on needs a card saved by a paid checkout (422 {@code payment_method_required}).
     */
    public AutoTopupUpdate withEnabled(boolean on) {
        return new AutoTopupUpdate(orgId, on, thresholdCents, topupAmountCents, mode, targetBalanceCents,
                monthlyCapCents, noMonthlyCap);
    }

    /**
     * A copy with another threshold cents.
     *
     * @param cents the amount in cents
     */
    public AutoTopupUpdate withThresholdCents(long cents) {
        return new AutoTopupUpdate(orgId, enabled, cents, topupAmountCents, mode, targetBalanceCents, monthlyCapCents,
                noMonthlyCap);
    }

    /**
     * A copy with another topup amount cents (the fixed mode's amount).
     *
     * @param cents the amount in cents
     */
    public AutoTopupUpdate withTopupAmountCents(long cents) {
        return new AutoTopupUpdate(orgId, enabled, thresholdCents, cents, mode, targetBalanceCents, monthlyCapCents,
                noMonthlyCap);
    }

    /**
     * Top up to a target balance instead of a fixed amount.
     *
     * @param cents the balance a top-up brings the org back to; above the threshold
     */
    public AutoTopupUpdate withTargetBalanceCents(long cents) {
        return new AutoTopupUpdate(orgId, enabled, thresholdCents, topupAmountCents, "target_balance", cents,
                monthlyCapCents, noMonthlyCap);
    }

    /**
     * Back to the fixed amount of {@link #topupAmountCents()}.
     *
     * @return the change
     */
    public AutoTopupUpdate withFixedAmount() {
        return new AutoTopupUpdate(orgId, enabled, thresholdCents, topupAmountCents, "fixed", targetBalanceCents,
                monthlyCapCents, noMonthlyCap);
    }

    /**
     * A cap on what auto top-ups may charge per UTC calendar month.
     *
     * @param cents the cap in cents
     */
    public AutoTopupUpdate withMonthlyCapCents(long cents) {
        return new AutoTopupUpdate(orgId, enabled, thresholdCents, topupAmountCents, mode, targetBalanceCents, cents,
                null);
    }

    /**
     * Removes the monthly cap.
     *
     * @return the change
     */
    public AutoTopupUpdate withoutMonthlyCap() {
        return new AutoTopupUpdate(orgId, enabled, thresholdCents, topupAmountCents, mode, targetBalanceCents, null,
                true);
    }
}
