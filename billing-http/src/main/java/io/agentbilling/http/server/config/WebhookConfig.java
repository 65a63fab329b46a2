package io.agentbilling.http.server.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How outbound webhooks are sent.
 *
 * @param allowPrivateTargets endpoints may be on loopback, private (RFC 1918, unique-local) and link-local addresses;
 *                            off by default, so that an org admin cannot make the server call into its own network
 * @param firstRetryDelay     how long after a failed attempt the next one is due; it doubles per attempt, up to
 *                            6 hours apart, for the 3 days an event is retried
 */
public record WebhookConfig(boolean allowPrivateTargets, Duration firstRetryDelay) {
    public WebhookConfig {
        Objects.requireNonNull(firstRetryDelay, "firstRetryDelay");
    }
}
