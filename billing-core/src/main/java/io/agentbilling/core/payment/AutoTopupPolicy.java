package io.agentbilling.core.payment;

import java.time.Duration;
import java.util.Objects;

/**
 * The configured rules of auto top-up.
 *
 * @param maxAmountCents         the largest threshold and top-up amount an admin may set
 * @param maxConsecutiveFailures failed charges in a row after which auto top-up turns itself off
 * @param maxProviderRetries     how often one attempt is retried when the provider cannot be reached, before it
 *                               counts as a failed charge
 * @param retryBackoff           the first retry delay; it doubles per retry, up to {@link #MAX_BACKOFF}
 * @param chargingLease          how long a claimed attempt belongs to the worker that claimed it; after that (a
 *                               crash, a lost response) another run charges it again with the same idempotency key
 */
public record AutoTopupPolicy(long maxAmountCents, int maxConsecutiveFailures, int maxProviderRetries,
                              Duration retryBackoff, Duration chargingLease) {
    public static final long MIN_TOPUP_AMOUNT_CENTS = TopupPolicy.MIN_AMOUNT_CENTS;
    public static final Duration MAX_BACKOFF = Duration.ofHours(1);

    /**
     * @param chargingLease how long a claimed attempt belongs to the worker that claimed it; after that (a crash, a
     *     lost response) another run charges it again with the same idempotency key
     * @param maxAmountCents the largest threshold and top-up amount an admin may set
     * @param maxConsecutiveFailures failed charges in a row after which auto top-up turns itself off
     * @param maxProviderRetries how often one attempt is retried when the provider cannot be reached, before it
     *     counts as a failed charge
     * @param retryBackoff the first retry delay; it doubles per retry, up to {@link #MAX_BACKOFF}
     */
    public AutoTopupPolicy {
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        Objects.requireNonNull(chargingLease, "chargingLease");
        if (maxAmountCents < MIN_TOPUP_AMOUNT_CENTS || maxConsecutiveFailures < 1 || maxProviderRetries < 0
                || retryBackoff.isNegative() || retryBackoff.isZero() || chargingLease.isNegative()
                || chargingLease.isZero()) {
            throw new IllegalArgumentException("invalid auto top-up policy");
        }
    }

    public static AutoTopupPolicy defaults() {
        return new AutoTopupPolicy(TopupPolicy.DEFAULT_MAX_AMOUNT_CENTS, 3, 5, Duration.ofSeconds(30),
                Duration.ofMinutes(5));
    }

    /**
     * A copy with another max consecutive failures.
     */
    public AutoTopupPolicy withMaxConsecutiveFailures(int failures) {
        return new AutoTopupPolicy(maxAmountCents, failures, maxProviderRetries, retryBackoff, chargingLease);
    }

    /**
     * The delay before retry number {@code retry} (1-based): the backoff doubled per retry, capped.
     */
    public Duration backoffBefore(int retry) {
        Duration delay = retryBackoff;
        for (int i = 1; i < retry && delay.compareTo(MAX_BACKOFF) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
