package io.agentbilling.core.usage;

import io.agentbilling.core.error.BillingException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When usage may say it happened, and how far sandbox settlements may run. Every usage the engine charges lands in a
 * report, which counts whole UTC days from the org's creation: so a caller-given time of usage ({@code occurredAt},
 * a storage period's {@code from}, a sandbox's {@code startedAt}) may not precede the org's creation (it would be
 * charged but reported nowhere), may not be older than {@code maxAge} (late usage must still land in a period a
 * customer reads; the default, 35 days, covers the last monthly period and a few days more), and may not be ahead of
 * the clock by more than {@link #MAX_CLOCK_SKEW} (clocks drift between services, not by hours). A sandbox may not be
 * settled through an instant past the clock plus {@code sandboxSettleSkew}: seconds that have not elapsed yet cannot
 * have been used. Each violation is a 422 {@code unprocessable} naming the field: the request is well-formed, the
 * value is not acceptable, and a retry of the same request cannot succeed.
 *
 * @param maxAge            how old a caller-given time of usage may be
 * @param sandboxSettleSkew how far past the clock a sandbox settlement may reach
 */
public record UsageWindow(Duration maxAge, Duration sandboxSettleSkew) {
    /** How far ahead of the clock a caller's timestamp may be. Fixed by the API. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    public static final UsageWindow DEFAULT = new UsageWindow(Duration.ofDays(35), Duration.ofSeconds(60));

    /**
     * @param maxAge how old a caller-given time of usage may be
     * @param sandboxSettleSkew how far past the clock a sandbox settlement may reach
     */
    public UsageWindow {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(sandboxSettleSkew, "sandboxSettleSkew");
        if (maxAge.isNegative() || maxAge.isZero() || sandboxSettleSkew.isNegative()) {
            throw new IllegalArgumentException("the maximum age must be positive and the settlement skew not negative");
        }
    }

    /**
     * {@code at}, when it is not ahead of {@code now} by more than {@link #MAX_CLOCK_SKEW}; else a 422.
     *
     * @param field the request field this is about, named in a refusal
     * @param at the instant
     * @param now the current instant
     */
    public static Instant notInFuture(String field, Instant at, Instant now) {
        if (at.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            throw BillingException.unprocessable(field, "must not be more than " + MAX_CLOCK_SKEW.toMinutes()
                    + " minutes ahead of the server's clock (" + now + ")");
        }
        return at;
    }

    /**
     * A caller-given time of usage: not ahead of the clock (see {@link #notInFuture}) and at most {@code maxAge}
     * old.
     *
     * @param field the request field this is about, named in a refusal
     * @param at the instant
     * @param now the current instant
     */
    public Instant usageAt(String field, Instant at, Instant now) {
        notInFuture(field, at, now);
        Instant oldest = now.minus(maxAge);
        if (at.isBefore(oldest)) {
            throw BillingException.unprocessable(field, "must not be more than " + describe(maxAge)
                    + " in the past (the oldest accepted is " + oldest + ")");
        }
        return at;
    }

    /**
     * A time of usage must not precede the org's creation, or it would be charged but in no report.
     *
     * @param field the request field this is about, named in a refusal
     * @param at the instant
     * @param orgCreatedAt the organization created at
     */
    public static void notBeforeOrg(String field, Instant at, Instant orgCreatedAt) {
        if (at.isBefore(orgCreatedAt)) {
            throw beforeOrgCreated(field, orgCreatedAt);
        }
    }

    /**
     * The refusal of a time of usage before the org's creation, for callers that answer per request.
     *
     * @param field the request field this is about, named in a refusal
     * @param orgCreatedAt the organization created at
     */
    public static BillingException beforeOrgCreated(String field, Instant orgCreatedAt) {
        return BillingException.unprocessable(field, "must not be before the organization was created ("
                + orgCreatedAt + ")");
    }

    /**
     * A sandbox settled through {@code through} must not run past {@code now} plus {@code sandboxSettleSkew}.
     *
     * @param field the request field this is about, named in a refusal
     * @param now the current instant
     */
    public void settledThrough(String field, Instant through, Instant now) {
        Instant latest = now.plus(sandboxSettleSkew);
        if (through.isAfter(latest)) {
            throw BillingException.unprocessable(field, "would settle the sandbox through " + through
                    + ", past the server's clock (" + now + "); only elapsed time can be settled");
        }
    }

    private static String describe(Duration age) {
        return age.toSeconds() % 86_400 == 0 ? age.toDays() + " days" : age.toSeconds() + " seconds";
    }
}
