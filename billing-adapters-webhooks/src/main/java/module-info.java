/**
 * The outbound-webhook sender on HTTP: {@link io.agentbilling.webhooks.HttpWebhookSender} signs and POSTs each event
 * with the JDK's client, and {@link io.agentbilling.webhooks.WebhookTargets} keeps it off private, loopback and
 * link-local addresses unless the operator allows them. Pass the sender to
 * {@code PostgresBilling.configure().webhookSender(…)} (or {@code Billing.builder().webhookSender(…)}) to turn
 * deliveries on. Depends on the core and the JDK only.
 */
module io.agentbilling.webhooks {
    requires transitive io.agentbilling.core;
    requires java.net.http;

    exports io.agentbilling.webhooks;
}
