/**
 * The Java client of the billing server: {@link io.agentbilling.client.BillingClient} (the public API, with a
 * member's API key), {@link io.agentbilling.client.BillingServiceClient} (the service API, with the internal secret)
 * and {@link io.agentbilling.client.UsageReporter} (durable usage reporting).
 */
module io.agentbilling.client {
    requires transitive java.net.http;
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;

    exports io.agentbilling.client;
    exports io.agentbilling.client.billing;
    exports io.agentbilling.client.service;
    // Jackson reads and writes the requests and answers (records) reflectively.
    opens io.agentbilling.client to com.fasterxml.jackson.databind;
    opens io.agentbilling.client.billing to com.fasterxml.jackson.databind;
    opens io.agentbilling.client.service to com.fasterxml.jackson.databind;
}
