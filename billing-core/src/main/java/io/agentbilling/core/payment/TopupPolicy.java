package io.agentbilling.core.payment;

import java.util.Objects;

/**
 * The configured rules of card top-ups (API.md A5): the amount range, where checkout returns to by default, and
 * which origins a caller may name instead.
 *
 * @param defaultSuccessUrl the public success page (the {@code session_id} parameter is added to it)
 */
public record TopupPolicy(long maxAmountCents, String defaultSuccessUrl, String defaultCancelUrl,
                          RedirectAllowList redirects) {
    public static final long MIN_AMOUNT_CENTS = 500;
    public static final long DEFAULT_MAX_AMOUNT_CENTS = 1_000_000;

    /**
     * @param defaultSuccessUrl the public success page (the {@code session_id} parameter is added to it)
     */
    public TopupPolicy {
        Objects.requireNonNull(redirects, "redirects");
        if (maxAmountCents < MIN_AMOUNT_CENTS) {
            throw new IllegalArgumentException("maximum top-up must be >= " + MIN_AMOUNT_CENTS);
        }
        if (!RedirectAllowList.isHttpUrl(defaultSuccessUrl) || !RedirectAllowList.isHttpUrl(defaultCancelUrl)) {
            throw new IllegalArgumentException("default success and cancel URLs must be absolute http(s) URLs");
        }
    }

    /**
     * Creates one of the given values.
     */
    public static TopupPolicy of(String defaultSuccessUrl, String defaultCancelUrl, RedirectAllowList redirects) {
        return new TopupPolicy(DEFAULT_MAX_AMOUNT_CENTS, defaultSuccessUrl, defaultCancelUrl, redirects);
    }
}
