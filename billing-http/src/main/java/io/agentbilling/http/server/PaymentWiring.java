package io.agentbilling.http.server;

import io.agentbilling.core.payment.NoPaymentGateway;
import io.agentbilling.core.port.PaymentGateway;
import io.agentbilling.stripe.StripeConfig;
import io.agentbilling.stripe.StripePaymentGateway;
import java.time.Duration;

/**
 * Chooses the payment gateway: Stripe when {@code STRIPE_SECRET_KEY} and {@code STRIPE_WEBHOOK_SECRET} are set, the
 * server's own local checkout page otherwise (so the whole top-up flow works on a fresh machine).
 */
record PaymentWiring(PaymentGateway gateway, boolean local) {

    static PaymentWiring from(ServerConfig config) {
        if (config.stripeSecretKey().isPresent() && config.stripeWebhookSecret().isPresent()) {
            StripeConfig stripe = new StripeConfig(config.stripeSecretKey().get(), config.stripeWebhookSecret().get(),
                    config.stripeApiBase().orElse(null), Duration.ofSeconds(5), config.stripeReadTimeout(),
                    config.stripeMaxNetworkRetries(), 300);
            return new PaymentWiring(new StripePaymentGateway(stripe), false);
        }
        return new PaymentWiring(new NoPaymentGateway(), true);
    }
}
