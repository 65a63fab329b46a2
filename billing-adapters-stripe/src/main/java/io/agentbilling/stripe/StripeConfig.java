package io.agentbilling.stripe;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the Stripe gateway reaches Stripe and checks webhooks. Immutable; {@link #toString()} never shows the secrets.
 *
 * @param secretKey               the account's secret or restricted key ({@code sk_…} / {@code rk_…})
 * @param webhookSecret           the endpoint's signing secret ({@code whsec_…}), used whole as the HMAC key
 * @param apiBase                 where the API lives; null means Stripe's own ({@code https://api.stripe.com}).
 *                                Tests point it at a local fake.
 * @param connectTimeout          TCP connect timeout of one attempt
 * @param readTimeout             read timeout of one attempt; a timeout is an unknown outcome, so the caller
 *                                retries with the same idempotency key
 * @param maxNetworkRetries       extra attempts the library makes on connection errors, 409 and 5xx, reusing the
 *                                idempotency key (0 = none)
 * @param webhookToleranceSeconds how old a webhook signature's timestamp may be; Stripe's default is 300
 */
public record StripeConfig(
        String secretKey,
        String webhookSecret,
        String apiBase,
        Duration connectTimeout,
        Duration readTimeout,
        int maxNetworkRetries,
        long webhookToleranceSeconds) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(80);
    public static final int DEFAULT_MAX_NETWORK_RETRIES = 2;
    public static final long DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

    static final int MAX_NETWORK_RETRIES_LIMIT = 10;
    static final long MAX_WEBHOOK_TOLERANCE_SECONDS = 24 * 3600;
    static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

    public StripeConfig {
        requireText(secretKey, "secretKey");
        if (!secretKey.startsWith("sk_") && !secretKey.startsWith("rk_")) {
            // A publishable key (pk_…) here is the classic mix-up; it would fail on the first call anyway.
            throw new IllegalArgumentException("secretKey must be a Stripe secret (sk_…) or restricted (rk_…) key");
        }
        requireText(webhookSecret, "webhookSecret");
        if (apiBase != null) {
            apiBase = validApiBase(apiBase);
        }
        requireTimeout(connectTimeout, "connectTimeout");
        requireTimeout(readTimeout, "readTimeout");
        if (maxNetworkRetries < 0 || maxNetworkRetries > MAX_NETWORK_RETRIES_LIMIT) {
            throw new IllegalArgumentException(
                    "maxNetworkRetries must be between 0 and " + MAX_NETWORK_RETRIES_LIMIT + ": " + maxNetworkRetries);
        }
        // 0 would switch the library's replay protection off, so it is not accepted here.
        if (webhookToleranceSeconds <= 0 || webhookToleranceSeconds > MAX_WEBHOOK_TOLERANCE_SECONDS) {
            throw new IllegalArgumentException("webhookToleranceSeconds must be between 1 and "
                    + MAX_WEBHOOK_TOLERANCE_SECONDS + ": " + webhookToleranceSeconds);
        }
    }

    /**
     * Stripe's API, the library's timeouts, two network retries and a 300 s webhook tolerance.
     */
    public static StripeConfig of(String secretKey, String webhookSecret) {
        return new StripeConfig(secretKey, webhookSecret, null, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
                DEFAULT_MAX_NETWORK_RETRIES, DEFAULT_WEBHOOK_TOLERANCE_SECONDS);
    }

    public StripeConfig withApiBase(String newApiBase) {
        return new StripeConfig(secretKey, webhookSecret, newApiBase, connectTimeout, readTimeout, maxNetworkRetries,
                webhookToleranceSeconds);
    }

    /**
     * A copy with another timeouts.
     */
    public StripeConfig withTimeouts(Duration newConnectTimeout, Duration newReadTimeout) {
        return new StripeConfig(secretKey, webhookSecret, apiBase, newConnectTimeout, newReadTimeout,
                maxNetworkRetries, webhookToleranceSeconds);
    }

    /**
     * A copy with another max network retries.
     */
    public StripeConfig withMaxNetworkRetries(int newMaxNetworkRetries) {
        return new StripeConfig(secretKey, webhookSecret, apiBase, connectTimeout, readTimeout, newMaxNetworkRetries,
                webhookToleranceSeconds);
    }

    /**
     * A copy with another webhook tolerance seconds.
     */
    public StripeConfig withWebhookToleranceSeconds(long newWebhookToleranceSeconds) {
        return new StripeConfig(secretKey, webhookSecret, apiBase, connectTimeout, readTimeout, maxNetworkRetries,
                newWebhookToleranceSeconds);
    }

    /**
     * True for a test-mode key; useful in logs and in the plan endpoint.
     *
     * @return true when it did
     */
    public boolean testMode() {
        return secretKey.startsWith("sk_test_") || secretKey.startsWith("rk_test_");
    }

    @Override
    public String toString() {
        return "StripeConfig[secretKey=" + redact(secretKey) + ", webhookSecret=" + redact(webhookSecret)
                + ", apiBase=" + apiBase + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout
                + ", maxNetworkRetries=" + maxNetworkRetries
                + ", webhookToleranceSeconds=" + webhookToleranceSeconds + "]";
    }

    private static String redact(String secret) {
        for (String prefix : new String[] {"sk_test_", "sk_live_", "rk_test_", "rk_live_", "whsec_"}) {
            if (secret.startsWith(prefix)) {
                return prefix + "***";
            }
        }
        return "***";
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static void requireTimeout(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            // Zero means "wait forever" to HttpURLConnection, which is never what we want.
            throw new IllegalArgumentException(name + " must be positive and at most " + MAX_TIMEOUT + ": " + timeout);
        }
    }

    private static String validApiBase(String apiBase) {
        URI uri;
        try {
            uri = new URI(apiBase);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("apiBase is not a URL: " + apiBase, e);
        }
        String scheme = uri.getScheme();
        if (!("https".equals(scheme) || "http".equals(scheme)) || uri.getHost() == null) {
            throw new IllegalArgumentException("apiBase must be an absolute http(s) URL: " + apiBase);
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("apiBase must not carry a query or fragment: " + apiBase);
        }
        // The library appends "/v1/…" itself.
        return apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
    }
}
