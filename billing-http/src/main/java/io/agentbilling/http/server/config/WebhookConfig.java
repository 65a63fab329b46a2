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
 * @param connectTimeout      how long connecting to a receiver may take
 * @param requestTimeout      how long a receiver may take to answer once the request is sent; a slower answer is a
 *                            failed attempt. Both together stay well under the delivery lease (2 minutes), after
 *                            which another worker may send the delivery again
 */
public record WebhookConfig(boolean allowPrivateTargets, Duration firstRetryDelay, Duration connectTimeout,
                            Duration requestTimeout) {
    /** The most either timeout may be, so that a send always ends within the delivery lease. */
    public static final int MAX_TIMEOUT_SECONDS = 30;

    public WebhookConfig {
        Objects.requireNonNull(firstRetryDelay, "firstRetryDelay");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }
}
