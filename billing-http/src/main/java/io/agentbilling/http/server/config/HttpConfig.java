package io.agentbilling.http.server.config;

import io.agentbilling.http.auth.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the server listens and faces its callers.
 *
 * @param port                   TCP port, {@code 0} for any free one
 * @param host                   interface to bind
 * @param publicUrl              the server's public base URL, without a trailing slash
 * @param allowedRedirectOrigins origins that checkout may send a browser back to, normalised
 * @param shutdownTimeout        how long stopping waits for in-flight requests
 * @param sessionLifetime        how long a billing-page sign-in lasts
 * @param metricsRequireSecret   {@code /metrics} needs the internal secret
 * @param rateLimit              the limit per API key on the public API
 */
public record HttpConfig(
        int port,
        String host,
        String publicUrl,
        List<String> allowedRedirectOrigins,
        Duration shutdownTimeout,
        Duration sessionLifetime,
        boolean metricsRequireSecret,
        RateLimit rateLimit) {

    public HttpConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(publicUrl, "publicUrl");
        allowedRedirectOrigins = List.copyOf(allowedRedirectOrigins);
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(sessionLifetime, "sessionLifetime");
        Objects.requireNonNull(rateLimit, "rateLimit");
    }
}
