package io.agentbilling.core;

import io.agentbilling.core.usecase.CreateWebhookEndpoint;
import io.agentbilling.core.usecase.DeliverWebhooks;
import io.agentbilling.core.usecase.ManageWebhookEndpoints;
import java.util.Objects;

/**
 * The outbound-webhook use cases of an engine ({@link Billing#webhooks()}): an org's endpoints and their deliveries,
 * and the delivery worker's step (run by {@link BackgroundJobs}). Events themselves are recorded by the changes that
 * cause them, in the same transaction. Thread-safe.
 */
public final class Webhooks {
    private final CreateWebhookEndpoint createEndpoint;
    private final ManageWebhookEndpoints endpoints;
    private final DeliverWebhooks deliver;

    Webhooks(CreateWebhookEndpoint createEndpoint, ManageWebhookEndpoints endpoints, DeliverWebhooks deliver) {
        this.createEndpoint = Objects.requireNonNull(createEndpoint);
        this.endpoints = Objects.requireNonNull(endpoints);
        this.deliver = Objects.requireNonNull(deliver);
    }

    public CreateWebhookEndpoint createEndpoint() { return createEndpoint; }
    public ManageWebhookEndpoints endpoints() { return endpoints; }
    public DeliverWebhooks deliver() { return deliver; }
}
