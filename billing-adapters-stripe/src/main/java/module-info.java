/** The payment port on Stripe: {@link io.agentbilling.stripe.StripePaymentGateway} and its settings. */
module io.agentbilling.stripe {
    requires transitive io.agentbilling.core;
    requires com.stripe;
    // stripe-java is an automatic module and cannot require its own dependency; without this Gson is not resolved on
    // the module path.
    requires com.google.gson;
    requires org.slf4j;

    exports io.agentbilling.stripe;
}
