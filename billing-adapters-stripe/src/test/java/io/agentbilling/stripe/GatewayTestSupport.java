package io.agentbilling.stripe;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.CheckoutRequest;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.stripe.fake.FakeStripeServer;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A fresh fake Stripe per test and a gateway on it: real stripe-java client, no library retries, short timeouts. */
abstract class GatewayTestSupport {
    static final String SECRET_KEY = "sk_test_fake_key";
    static final String WEBHOOK_SECRET = "whsec_test_signing_secret";
    static final String SUCCESS_URL = "https://app.example.com/v1/billing/success?session_id={CHECKOUT_SESSION_ID}";
    static final String CANCEL_URL = "https://app.example.com/billing";

    FakeStripeServer fake;
    StripePaymentGateway gateway;
    final OrgId org = OrgId.random();

    @BeforeEach
    void startFakeStripe() {
        fake = FakeStripeServer.start();
        gateway = new StripePaymentGateway(config());
    }

    @AfterEach
    void stopFakeStripe() {
        fake.close();
    }

    StripeConfig config() {
        return new StripeConfig(SECRET_KEY, WEBHOOK_SECRET, fake.baseUrl(), Duration.ofSeconds(2),
                Duration.ofSeconds(5), 0, StripeConfig.DEFAULT_WEBHOOK_TOLERANCE_SECONDS);
    }

    CheckoutSession openCheckout(long amountCents) {
        String customer = gateway.createCustomer(org, "Acme", "customer:" + org);
        return gateway.createCheckoutSession(new CheckoutRequest(org, Credits.ofCents(amountCents), customer,
                SUCCESS_URL, CANCEL_URL, "topup:" + OrgId.random()));
    }

    static void assertBillingError(ThrowingCallable call, BillingError expected) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.error()).as("error kind of: %s", e.getMessage()).isEqualTo(expected));
    }
}
