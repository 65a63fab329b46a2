package io.agentbilling.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When and how long a client retries a call. Retried: a refused or failed connection, a timeout, 503
 * {@code unavailable} and 429 {@code rate_limited}; never another 4xx (the same request would be refused again) and
 * never another 5xx. A write is retried with the same idempotency key and the same bytes on every attempt, so a retry
 * of a write that did land is answered as a replay, never settled twice. Calls that take no key (adding a member,
 * creating an API key) are retried only when the request certainly did not reach the server (the connection was
 * refused) or was refused unprocessed (429).
 *
 * <p>Between attempts the client waits an exponential backoff with jitter: for the n-th retry a random time between
 * half and all of {@code min(maxBackoff, initialBackoff * 2^(n-1))}, and at least the server's {@code Retry-After}
 * when it sent one. It stops after {@code maxAttempts} attempts or when the next attempt could not start within
 * {@code maxElapsed} of the first (each attempt's timeout is cut to what is left), and throws the last failure.
 *
 * @param maxAttempts    attempts in all, at least 1 (1 = no retries)
 * @param initialBackoff the wait before the first retry (its upper bound; jitter halves it at most)
 * @param maxBackoff     the longest wait between two attempts, unless the server's {@code Retry-After} asks more
 * @param maxElapsed     the bound on the whole call, attempts and waits included
 * @param attemptTimeout how long one attempt may wait for its answer
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxElapsed,
                          Duration attemptTimeout) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        positive(initialBackoff, "initialBackoff");
        positive(maxBackoff, "maxBackoff");
        positive(maxElapsed, "maxElapsed");
        positive(attemptTimeout, "attemptTimeout");
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= initialBackoff");
        }
    }

    /**
     * 8 attempts, 100 ms doubling to 5 s between them, 30 s in all, 10 s per attempt.
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(10));
    }

    /**
     * One attempt, no retries (with the default attempt timeout).
     */
    public static RetryPolicy none() {
        return defaults().withMaxAttempts(1);
    }

    /**
     * A copy with another max attempts.
     */
    public RetryPolicy withMaxAttempts(int attempts) {
        return new RetryPolicy(attempts, initialBackoff, maxBackoff, maxElapsed, attemptTimeout);
    }

    /**
     * A copy with another backoff.
     */
    public RetryPolicy withBackoff(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, maxElapsed, attemptTimeout);
    }

    /**
     * A copy with another max elapsed.
     */
    public RetryPolicy withMaxElapsed(Duration elapsed) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, elapsed, attemptTimeout);
    }

    /**
     * A copy with another attempt timeout.
     */
    public RetryPolicy withAttemptTimeout(Duration timeout) {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, maxElapsed, timeout);
    }

    /**
     * The wait before retry number {@code retry} (1 for the first retry): jittered exponential backoff, and at least
     * {@code retryAfter} when the server asked for it (null when it did not).
     */
    public Duration backoff(int retry, Duration retryAfter) {
        long initial = initialBackoff.toNanos();
        long ceiling = maxBackoff.toNanos();
        long base = initial;
        for (int i = 1; i < retry && base < ceiling; i++) {
            base = base > ceiling / 2 ? ceiling : base * 2;
        }
        base = Math.min(base, ceiling);
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        Duration wait = Duration.ofNanos(jittered);
        return retryAfter != null && retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
