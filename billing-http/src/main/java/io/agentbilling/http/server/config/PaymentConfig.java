package io.agentbilling.http.server.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How credit is bought.
 *
 * @param topupMaxCents         the largest top-up, by hand or automatic
 * @param autoTopupMaxFailures  failed automatic top-ups in a row before auto top-up is switched off
 * @param autoTopupRetryBackoff the wait before retrying a failed automatic top-up
 * @param stripe                the Stripe account; empty means the built-in local checkout page, which takes no money
 */
public record PaymentConfig(
        long topupMaxCents,
        int autoTopupMaxFailures,
        Duration autoTopupRetryBackoff,
        Optional<StripeAccount> stripe) {

    public PaymentConfig {
        Objects.requireNonNull(autoTopupRetryBackoff, "autoTopupRetryBackoff");
        Objects.requireNonNull(stripe, "stripe");
    }

    /** True when no Stripe key is configured: top-ups go through the built-in local checkout page. */
    public boolean usesLocalCheckout() {
        return stripe.isEmpty();
    }

    /**
     * The Stripe account and how the server calls it.
     *
     * @param secretKey         the secret or restricted key
     * @param webhookSecret     the webhook endpoint's signing secret
     * @param apiBase           where the API lives; empty means Stripe's own
     * @param readTimeout       read timeout of one call
     * @param maxNetworkRetries the library's retries of one call, with the same idempotency key
     */
    public record StripeAccount(
            Secret secretKey,
            Secret webhookSecret,
            Optional<String> apiBase,
            Duration readTimeout,
            int maxNetworkRetries) {

        public StripeAccount {
            Objects.requireNonNull(secretKey, "secretKey");
            Objects.requireNonNull(webhookSecret, "webhookSecret");
            Objects.requireNonNull(apiBase, "apiBase");
            Objects.requireNonNull(readTimeout, "readTimeout");
        }
    }
}
