package io.agentbilling.http.server.infrastructure;

import io.agentbilling.core.access.Caller;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.auth.RateLimit;
import io.agentbilling.http.auth.RateLimiter;
import io.agentbilling.http.errors.ApiException;
import io.agentbilling.http.errors.ErrorCode;
import io.javalin.http.Context;

/**
 * The public API's rate limit, applied after authentication on member and admin routes: one token bucket per API
 * key (per member for a caller authenticated otherwise). Every answer on those routes carries
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} (seconds until the bucket is full);
 * a request past the limit is 429 {@code rate_limited} with {@code Retry-After} in seconds. Internal routes (services
 * settling usage, which must never be refused for volume) and routes without a credential are not limited.
 * Thread-safe.
 */
final class RateLimitGate {
    static final String LIMIT = "RateLimit-Limit";
    static final String REMAINING = "RateLimit-Remaining";
    static final String RESET = "RateLimit-Reset";

    private final RateLimiter limiter;

    /** @param limit {@link RateLimit#OFF} for none */
    RateLimitGate(RateLimit limit) {
        this.limiter = limit.enabled() ? new RateLimiter(limit) : null;
    }

    void check(Context ctx, Access access) {
        if (limiter == null || (access != Access.MEMBER && access != Access.ADMIN)) {
            return;
        }
        Caller caller = AuthContext.caller(ctx);
        RateLimiter.Decision decision = limiter.acquire(caller.keyId() != null ? caller.keyId() : caller.memberId());
        ctx.header(LIMIT, Integer.toString(decision.limit()));
        ctx.header(REMAINING, Long.toString(decision.remaining()));
        ctx.header(RESET, Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            throw ApiException.of(ErrorCode.RATE_LIMITED, "too many requests with this API key: at most "
                            + limiter.limit().requestsPerSecond() + " a second, " + decision.limit()
                            + " at once; retry after " + decision.retryAfterSeconds() + " s")
                    .withHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
        }
    }
}
