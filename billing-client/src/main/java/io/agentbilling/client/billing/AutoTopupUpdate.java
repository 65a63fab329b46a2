package io.agentbilling.client.billing;

import java.util.UUID;

/**
 * Changes to the auto top-up settings ({@code PUT /v1/billing/auto-topup}, admins only): a null field keeps its
 * value. Setting values is naturally idempotent, so the call is retried like a read.
 */
public record AutoTopupUpdate(UUID orgId, Boolean enabled, Long thresholdCents, Long topupAmountCents) {

    public static AutoTopupUpdate of() {
        return new AutoTopupUpdate(null, null, null, null);
    }

    /**
     * A copy with another organization id.
     *
     * @param org the organization
     */
    public AutoTopupUpdate withOrgId(UUID org) {
        return new AutoTopupUpdate(org, enabled, thresholdCents, topupAmountCents);
    }

    /**
     * Turning it on needs a card saved by a paid checkout (422 {@code payment_method_required}).
     */
    public AutoTopupUpdate withEnabled(boolean on) {
        return new AutoTopupUpdate(orgId, on, thresholdCents, topupAmountCents);
    }

    /**
     * A copy with another threshold cents.
     *
     * @param cents the amount in cents
     */
    public AutoTopupUpdate withThresholdCents(long cents) {
        return new AutoTopupUpdate(orgId, enabled, cents, topupAmountCents);
    }

    /**
     * A copy with another topup amount cents.
     *
     * @param cents the amount in cents
     */
    public AutoTopupUpdate withTopupAmountCents(long cents) {
        return new AutoTopupUpdate(orgId, enabled, thresholdCents, cents);
    }
}
