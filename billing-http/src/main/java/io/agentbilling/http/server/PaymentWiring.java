package io.agentbilling.http.server;

import io.agentbilling.http.server.checkout.LocalCheckoutGateway;
import io.agentbilling.http.server.config.PaymentConfig;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.core.port.PaymentGateway;
import io.agentbilling.stripe.StripeConfig;
import io.agentbilling.stripe.StripePaymentGateway;
import java.time.Clock;
import java.time.Duration;

/**
 * Chooses the payment gateway: Stripe when {@code STRIPE_SECRET_KEY} (and, as {@link ServerConfig} insists, its
 * {@code STRIPE_WEBHOOK_SECRET}) is set, the server's own local checkout page otherwise, so that the whole top-up flow
 * works on a fresh machine. The local checkout takes no money, so it exists only while no Stripe key is configured.
 *
 * @param localCheckout the local gateway, whose pages the server then serves; null with Stripe
 */
record PaymentWiring(PaymentGateway gateway, LocalCheckoutGateway localCheckout) {

    /** True when top-ups go through the local checkout page (no Stripe key). */
    boolean local() {
        return localCheckout != null;
    }

    static PaymentWiring from(ServerConfig config) {
        return from(config, Clock.systemUTC());
    }

    static PaymentWiring from(ServerConfig config, Clock clock) {
        if (config.payments().stripe().isEmpty()) {
            LocalCheckoutGateway local = new LocalCheckoutGateway(config.http().publicUrl(), clock);
            return new PaymentWiring(local, local);
        }
        PaymentConfig.StripeAccount account = config.payments().stripe().get();
        StripeConfig stripe = new StripeConfig(account.secretKey().reveal(), account.webhookSecret().reveal(),
                account.apiBase().orElse(null), Duration.ofSeconds(5), account.readTimeout(),
                account.maxNetworkRetries(), StripeConfig.DEFAULT_WEBHOOK_TOLERANCE_SECONDS);
        return new PaymentWiring(new StripePaymentGateway(stripe), null);
    }
}
