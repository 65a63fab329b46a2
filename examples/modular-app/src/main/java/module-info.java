/** A service that is a Java module and uses every library module of the billing engine. */
module com.example.modular {
    requires io.agentbilling.jdbc;
    requires io.agentbilling.stripe;
    requires io.agentbilling.webhooks;
    requires io.agentbilling.embedded.postgres;
    requires io.agentbilling.client;
    requires io.agentbilling.testkit;
}
