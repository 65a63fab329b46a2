package io.agentbilling.core.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When a failed delivery is tried again: after {@code firstDelay}, doubling with each attempt up to
 * {@code maxDelay}, for as long as the retry window ({@code window}, 3 days by default, counted from the event) is
 * open. With the defaults that is attempts after 30 s, 1, 2, 4 … minutes, then every 6 hours: about 20 in 3 days.
 */
public record RetrySchedule(Duration firstDelay, Duration maxDelay, Duration window) {
    public static final RetrySchedule DEFAULT = new RetrySchedule(Duration.ofSeconds(30), Duration.ofHours(6),
            Duration.ofDays(3));

    public RetrySchedule {
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(window, "window");
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0
                || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("invalid retry schedule");
        }
    }

    /** The delay after attempt number {@code attempts} (1-based) failed. */
    public Duration delayAfter(int attempts) {
        Duration delay = firstDelay;
        for (int i = 1; i < attempts && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    /**
     * When to try again after attempt {@code attempts} failed at {@code now}; null when the window closes first
     * (the delivery then ends as failed).
     */
    public Instant nextAttempt(int attempts, Instant now, Instant giveUpAt) {
        Instant next = now.plus(delayAfter(attempts));
        return next.isAfter(giveUpAt) ? null : next;
    }
}
