package io.agentbilling.core.payment;

import io.agentbilling.core.access.OrgId;
import java.time.Instant;
import java.util.Objects;

/**
 * An org's auto top-up settings (API.md A7/A8) and the state of its recent charges.
 *
 * @param lastTopupAt         when an auto top-up last landed on the ledger; null until one did
 * @param lastFailureAt       when a charge last failed; null if none ever did
 * @param consecutiveFailures failed charges since the last success (or the last re-enabling)
 * @param disabledReason      why auto top-up turned itself off; null when an admin turned it off or it is on
 */
public record AutoTopupSettings(
        OrgId orgId,
        boolean enabled,
        long thresholdCents,
        long topupAmountCents,
        Instant lastTopupAt,
        Instant lastFailureAt,
        String lastFailureReason,
        int consecutiveFailures,
        String disabledReason) {
    /** Off until an admin turns it on; the amounts are the platform's documented example. */
    public static final long DEFAULT_THRESHOLD_CENTS = 1_000;
    public static final long DEFAULT_TOPUP_AMOUNT_CENTS = 2_500;

    /**
     * @param consecutiveFailures failed charges since the last success (or the last re-enabling)
     * @param disabledReason why auto top-up turned itself off; null when an admin turned it off or it is on
     * @param lastFailureAt when a charge last failed; null if none ever did
     * @param lastTopupAt when an auto top-up last landed on the ledger; null until one did
     * @param orgId the organization
     */
    public AutoTopupSettings {
        Objects.requireNonNull(orgId, "orgId");
        if (thresholdCents < 0 || topupAmountCents <= 0 || consecutiveFailures < 0) {
            throw new IllegalArgumentException("auto top-up amounts and counters cannot be negative");
        }
        if (enabled && disabledReason != null) {
            throw new IllegalArgumentException("enabled settings have no disabled reason");
        }
    }

    /**
     * @param orgId the organization
     */
    public static AutoTopupSettings defaults(OrgId orgId) {
        return new AutoTopupSettings(orgId, false, DEFAULT_THRESHOLD_CENTS, DEFAULT_TOPUP_AMOUNT_CENTS, null, null,
                null, 0, null);
    }

    /**
     * Admin changes; turning it on (from off) starts the failure count afresh and forgets why it was turned off.
     */
    public AutoTopupSettings withChanges(boolean newEnabled, long newThresholdCents, long newTopupAmountCents) {
        boolean reEnabled = newEnabled && !enabled;
        return new AutoTopupSettings(orgId, newEnabled, newThresholdCents, newTopupAmountCents, lastTopupAt,
                lastFailureAt, lastFailureReason, reEnabled ? 0 : consecutiveFailures,
                newEnabled ? null : disabledReason);
    }

    /**
     * A copy with another success.
     *
     * @param at the instant
     */
    public AutoTopupSettings withSuccess(Instant at) {
        return new AutoTopupSettings(orgId, enabled, thresholdCents, topupAmountCents, at, lastFailureAt,
                lastFailureReason, 0, disabledReason);
    }

    /**
     * One more failed charge; at {@code maxConsecutiveFailures} auto top-up turns itself off and says why.
     *
     * @param reason why
     * @param at the instant
     */
    public AutoTopupSettings withFailure(String reason, Instant at, int maxConsecutiveFailures) {
        int failures = consecutiveFailures + 1;
        boolean turnOff = enabled && failures >= maxConsecutiveFailures;
        String disabled = turnOff
                ? "turned off after " + failures + " consecutive failed charges (last: " + reason + ")"
                : disabledReason;
        return new AutoTopupSettings(orgId, enabled && !turnOff, thresholdCents, topupAmountCents, lastTopupAt, at,
                reason, failures, disabled);
    }
}
