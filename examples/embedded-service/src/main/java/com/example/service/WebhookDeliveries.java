package com.example.service;

import io.agentbilling.jdbc.PostgresBilling;
import io.agentbilling.webhooks.HttpWebhookSender;
import io.agentbilling.webhooks.WebhookTargets;
import java.time.Clock;
import javax.sql.DataSource;

/** The engine with outbound webhooks turned on: the HTTP sender of billing-adapters-webhooks. */
public final class WebhookDeliveries {

    /**
     * Starts the engine in schema {@code billing} with webhook deliveries on: its background jobs (on by default) sign
     * and POST every event an org's endpoints subscribe to, retrying until the receiver answers 2xx.
     *
     * @param allowPrivateTargets true only where receivers live on loopback or a private network (tests, an
     *                            internal receiver); by default such targets are refused
     */
    public static PostgresBilling start(DataSource dataSource, boolean allowPrivateTargets) {
        return PostgresBilling.configure()
                .dataSource(dataSource)
                .schema("billing")
                .webhookSender(new HttpWebhookSender(
                        new WebhookTargets(allowPrivateTargets, WebhookTargets.SYSTEM), Clock.systemUTC()))
                .start();
    }

    private WebhookDeliveries() {
    }
}
