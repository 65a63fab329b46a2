package io.agentbilling.http.auth;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Token buckets, one per API key, in this process's memory: several server instances each keep their own, so behind
 * a load balancer a key may get up to the limit from each instance. Each request takes one token; a bucket refills
 * continuously at the configured rate up to the burst. Counting is exact integer arithmetic in billionths of a token
 * (a rate of {@code r} tokens a second is {@code r} billionths a nanosecond), so no rounding drifts the rate.
 *
 * <p>Memory is bounded: a bucket that has refilled completely is the same as no bucket, so once the map holds more
 * than {@value #SWEEP_ABOVE} keys, full buckets are dropped. Thread-safe; a bucket is updated under its own lock.
 */
public final class RateLimiter {
    /** Billionths of a token per token: with a rate in tokens a second, the refill is {@code rate} units a nanosecond. */
    private static final long UNITS_PER_TOKEN = 1_000_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int SWEEP_ABOVE = 100_000;
    private static final int SWEEP_EVERY = 10_000;

    /**
     * What the limiter decided for one request, and what to tell the client.
     *
     * @param limit             the burst: the most requests a key may make at once
     * @param remaining         whole requests left right now
     * @param resetSeconds      seconds until the bucket is full again
     * @param retryAfterSeconds when refused: seconds until one request is allowed again (at least 1); else 0
     */
    public record Decision(boolean allowed, int limit, long remaining, long resetSeconds, long retryAfterSeconds) {}

    private static final class Bucket {
        long units;
        long lastNanos;

        Bucket(long units, long lastNanos) {
            this.units = units;
            this.lastNanos = lastNanos;
        }
    }

    private final RateLimit limit;
    private final LongSupplier nanoTime;
    private final long capacityUnits;
    private final Map<Object, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong decisions = new AtomicLong();

    public RateLimiter(RateLimit limit) {
        this(limit, System::nanoTime);
    }

    /** @param nanoTime a monotonic clock in nanoseconds ({@link System#nanoTime()}; tests pass their own) */
    public RateLimiter(RateLimit limit, LongSupplier nanoTime) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        if (!limit.enabled()) {
            throw new IllegalArgumentException("a rate limiter needs a limit; leave it out when the limit is off");
        }
        this.capacityUnits = limit.burst() * UNITS_PER_TOKEN;
    }

    public RateLimit limit() {
        return limit;
    }

    /** Takes a token from {@code key}'s bucket if one is there. */
    public Decision acquire(Object key) {
        Objects.requireNonNull(key, "key");
        long now = nanoTime.getAsLong();
        if (decisions.incrementAndGet() % SWEEP_EVERY == 0 && buckets.size() > SWEEP_ABOVE) {
            sweep(now);
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacityUnits, now));
        synchronized (bucket) {
            refill(bucket, now);
            boolean allowed = bucket.units >= UNITS_PER_TOKEN;
            if (allowed) {
                bucket.units -= UNITS_PER_TOKEN;
            }
            long retryAfter = allowed ? 0 : Math.max(1, ceilSeconds(nanosToRefill(UNITS_PER_TOKEN - bucket.units)));
            return new Decision(allowed, limit.burst(), bucket.units / UNITS_PER_TOKEN,
                    ceilSeconds(nanosToRefill(capacityUnits - bucket.units)), retryAfter);
        }
    }

    private void refill(Bucket bucket, long now) {
        long elapsed = now - bucket.lastNanos;
        if (elapsed <= 0) {
            return;
        }
        bucket.lastNanos = now;
        long missing = capacityUnits - bucket.units;
        // elapsed * rate can overflow after a long idle time; past the time to fill up, the bucket is simply full.
        bucket.units = elapsed >= nanosToRefill(missing) ? capacityUnits : bucket.units + elapsed * limit.requestsPerSecond();
    }

    private long nanosToRefill(long units) {
        return units <= 0 ? 0 : Math.floorDiv(units - 1, limit.requestsPerSecond()) + 1;
    }

    private static long ceilSeconds(long nanos) {
        return nanos <= 0 ? 0 : Math.floorDiv(nanos - 1, NANOS_PER_SECOND) + 1;
    }

    /** Drops buckets that have refilled completely: they behave exactly like a key never seen. */
    private void sweep(long now) {
        for (Iterator<Map.Entry<Object, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next().getValue();
            synchronized (bucket) {
                refill(bucket, now);
                if (bucket.units >= capacityUnits) {
                    it.remove();
                }
            }
        }
    }

    /** Keys with a bucket in memory (for tests and metrics). */
    public int trackedKeys() {
        return buckets.size();
    }
}
