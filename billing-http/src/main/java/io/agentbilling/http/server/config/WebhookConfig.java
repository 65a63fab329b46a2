package io.agentbilling.http.server.config;

/**
 * How outbound webhooks are sent.
 *
 * @param allowPrivateTargets endpoints may be on loopback, private (RFC 1918, unique-local) and link-local addresses;
 *                            off by default, so that an org admin cannot make the server call into its own network
 */
public record WebhookConfig(boolean allowPrivateTargets) {
}
