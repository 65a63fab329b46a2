package io.agentbilling.http.server;

import io.agentbilling.http.server.config.ServerConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local checkout takes no money, so it is used only while no Stripe key is configured. */
class PaymentWiringTest {

    @Test
    void without_a_stripe_key_the_local_checkout_is_used() {
        PaymentWiring wiring = PaymentWiring.from(ServerConfig.fromEnvironment(Map.of()));

        assertThat(wiring.local()).isTrue();
        assertThat(wiring.gateway()).isSameAs(wiring.localCheckout());
        assertThat(wiring.gateway().name()).isEqualTo("local");
    }

    @Test
    void with_a_stripe_key_and_webhook_secret_stripe_is_used() {
        PaymentWiring wiring = PaymentWiring.from(ServerConfig.fromEnvironment(Map.of(
                ServerConfig.STRIPE_SECRET_KEY, "sk_test_abc", ServerConfig.STRIPE_WEBHOOK_SECRET, "whsec_abc")));

        assertThat(wiring.local()).isFalse();
        assertThat(wiring.localCheckout()).isNull();
        assertThat(wiring.gateway().name()).isEqualTo("stripe");
    }
}
