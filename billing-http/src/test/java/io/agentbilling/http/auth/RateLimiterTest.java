package io.agentbilling.http.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket, on a clock the test moves: no sleeping, no timing. */
class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(42 * SECOND);

    private RateLimiter limiter(int rps, int burst) {
        return new RateLimiter(new RateLimit(rps, burst), nanos::get);
    }

    @Test
    void a_key_may_spend_its_burst_at_once_and_is_then_refused_with_a_retry_delay() {
        RateLimiter limiter = limiter(50, 100);
        for (int i = 0; i < 100; i++) {
            RateLimiter.Decision decision = limiter.acquire("key");
            assertThat(decision.allowed()).as("request " + i).isTrue();
            assertThat(decision.limit()).isEqualTo(100);
            assertThat(decision.remaining()).isEqualTo(99 - i);
        }
        RateLimiter.Decision refused = limiter.acquire("key");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1); // 1/50 s rounds up to a whole second
        assertThat(refused.resetSeconds()).isEqualTo(2); // 100 tokens at 50 a second
    }

    @Test
    void the_bucket_refills_at_the_rate_and_never_past_the_burst() {
        RateLimiter limiter = limiter(10, 20);
        for (int i = 0; i < 20; i++) {
            limiter.acquire("key");
        }
        assertThat(limiter.acquire("key").allowed()).isFalse();
        nanos.addAndGet(SECOND / 10); // one token back
        assertThat(limiter.acquire("key").allowed()).isTrue();
        assertThat(limiter.acquire("key").allowed()).isFalse();
        nanos.addAndGet(SECOND / 2); // five tokens back
        assertThat(limiter.acquire("key").remaining()).isEqualTo(4);
        nanos.addAndGet(365L * 24 * 3600 * SECOND); // a year idle: full, and no overflow
        RateLimiter.Decision afterAYear = limiter.acquire("key");
        assertThat(afterAYear.remaining()).isEqualTo(19);
        assertThat(afterAYear.resetSeconds()).isEqualTo(1);
    }

    @Test
    void a_refused_request_takes_nothing_and_the_retry_delay_says_when_one_fits() {
        RateLimiter limiter = limiter(1, 2);
        limiter.acquire("key");
        limiter.acquire("key");
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.acquire("key").retryAfterSeconds()).isEqualTo(1);
        }
        nanos.addAndGet(SECOND - 1);
        assertThat(limiter.acquire("key").allowed()).isFalse();
        nanos.addAndGet(1);
        assertThat(limiter.acquire("key").allowed()).isTrue();
    }

    @Test
    void each_key_has_its_own_bucket() {
        RateLimiter limiter = limiter(1, 1);
        assertThat(limiter.acquire("a").allowed()).isTrue();
        assertThat(limiter.acquire("a").allowed()).isFalse();
        assertThat(limiter.acquire("b").allowed()).isTrue();
        assertThat(limiter.trackedKeys()).isEqualTo(2);
    }

    @Test
    void a_limit_of_zero_is_off_and_builds_no_limiter() {
        assertThat(new RateLimit(0, 100).enabled()).isFalse();
        assertThat(new RateLimit(50, 0).enabled()).isFalse();
        assertThat(RateLimit.DEFAULT.enabled()).isTrue();
        assertThatThrownBy(() -> new RateLimiter(RateLimit.OFF)).isInstanceOf(IllegalArgumentException.class);
    }
}
