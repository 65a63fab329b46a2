package io.agentbilling.core.webhooks;

import java.util.Objects;

/**
 * An endpoint registered under an idempotency key, with the fingerprint of the request that registered it: a retry
 * with the same key replays the endpoint when its request has the same fingerprint, and is refused otherwise.
 *
 * @param endpoint    the endpoint as stored (deleted since, or not)
 * @param fingerprint the registering request's fingerprint
 */
public record KeyedEndpoint(WebhookEndpoint endpoint, String fingerprint) {
    public KeyedEndpoint {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
