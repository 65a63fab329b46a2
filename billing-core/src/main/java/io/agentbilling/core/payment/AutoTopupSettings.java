package io.agentbilling.core.payment;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * An org's auto top-up settings (API.md A7/A8) and the state of its recent charges.
 *
 * @param lastTopupAt         when an auto top-up last landed on the ledger; null until one did
 * @param lastFailureAt       when a charge last failed; null if none ever did
 * @param consecutiveFailures failed charges since the last success (or the last re-enabling)
 * @param disabledReason      why auto top-up turned itself off; null when an admin turned it off or it is on
 * @param mode                a fixed amount, or up to a target balance
 * @param targetBalanceCents  the balance a top-up brings the org back to in {@link AutoTopupMode#TARGET_BALANCE}
 *                            mode; null until one is set
 * @param monthlyCapCents     the most auto top-ups may charge per UTC calendar month; null for no cap
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
        String disabledReason,
        AutoTopupMode mode,
        Long targetBalanceCents,
        Long monthlyCapCents) {
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
        mode = mode == null ? AutoTopupMode.FIXED : mode;
        if (mode == AutoTopupMode.TARGET_BALANCE && targetBalanceCents == null) {
            throw new IllegalArgumentException("target-balance mode needs a target");
        }
        if ((targetBalanceCents != null && targetBalanceCents <= 0) || (monthlyCapCents != null && monthlyCapCents < 0)) {
            throw new IllegalArgumentException("a target is positive and a cap zero or more");
        }
    }

    /** Settings in the fixed-amount mode without a monthly cap (as they were before those existed). */
    public AutoTopupSettings(OrgId orgId, boolean enabled, long thresholdCents, long topupAmountCents,
                             Instant lastTopupAt, Instant lastFailureAt, String lastFailureReason,
                             int consecutiveFailures, String disabledReason) {
        this(orgId, enabled, thresholdCents, topupAmountCents, lastTopupAt, lastFailureAt, lastFailureReason,
                consecutiveFailures, disabledReason, AutoTopupMode.FIXED, null, null);
    }

    /**
     * What the auto top-up started at a threshold crossing charges, or nothing: the fixed amount, or in target mode
     * what brings {@code balance} back to the target (rounded up to a cent, at least the minimum top-up, at most
     * {@code maxCents}); and under a monthly cap no more than the cap leaves ({@code chargedThisMonthCents} counts
     * the month's auto top-ups in flight or succeeded) — nothing when that is below the minimum top-up.
     *
     * @return the amount in cents, or empty for no top-up
     */
    public OptionalLong amountToCharge(Credits balance,
                                                 long chargedThisMonthCents, long maxCents) {
        long amount = topupAmountCents;
        if (mode == AutoTopupMode.TARGET_BALANCE) {
            BigInteger needMicros = BigInteger.valueOf(targetBalanceCents)
                    .multiply(BigInteger.valueOf(Credits.MICROS_PER_CENT))
                    .subtract(BigInteger.valueOf(balance.micros()));
            BigInteger[] cents = needMicros.divideAndRemainder(
                    BigInteger.valueOf(Credits.MICROS_PER_CENT));
            BigInteger needCents = cents[1].signum() > 0 ? cents[0].add(BigInteger.ONE) : cents[0];
            amount = needCents.max(BigInteger.valueOf(AutoTopupPolicy.MIN_TOPUP_AMOUNT_CENTS))
                    .min(BigInteger.valueOf(maxCents)).longValue();
        }
        if (monthlyCapCents != null) {
            long left = monthlyCapCents - chargedThisMonthCents;
            if (left < AutoTopupPolicy.MIN_TOPUP_AMOUNT_CENTS) {
                return OptionalLong.empty();
            }
            amount = Math.min(amount, left);
        }
        return OptionalLong.of(amount);
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
                newEnabled ? null : disabledReason, mode, targetBalanceCents, monthlyCapCents);
    }

    /** The amount rule changed: mode, target and monthly cap. */
    public AutoTopupSettings withAmountRule(AutoTopupMode newMode, Long newTargetBalanceCents, Long newMonthlyCapCents) {
        return new AutoTopupSettings(orgId, enabled, thresholdCents, topupAmountCents, lastTopupAt, lastFailureAt,
                lastFailureReason, consecutiveFailures, disabledReason, newMode, newTargetBalanceCents,
                newMonthlyCapCents);
    }

    /**
     * A copy with another success.
     *
     * @param at the instant
     */
    public AutoTopupSettings withSuccess(Instant at) {
        return new AutoTopupSettings(orgId, enabled, thresholdCents, topupAmountCents, at, lastFailureAt,
                lastFailureReason, 0, disabledReason, mode, targetBalanceCents, monthlyCapCents);
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
                reason, failures, disabled, mode, targetBalanceCents, monthlyCapCents);
    }
}
