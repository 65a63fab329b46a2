package io.agentbilling.http.server.infrastructure;

import io.agentbilling.http.auth.RateLimit;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP server's own knobs (the part of the server configuration the server factory needs).
 *
 * @param host               interface to bind, {@code 0.0.0.0} for all
 * @param port               TCP port, {@code 0} for any free one (tests)
 * @param maxBodyBytes       request bodies above this are refused with 413 (spec: 1 MiB)
 * @param shutdownTimeout    how long stopping waits for in-flight requests before cutting them off
 * @param readinessTimeout   how long {@code /ready} waits for the readiness check
 * @param publicUrl          the server's public base URL, named in the OpenAPI document
 * @param version            the API version named in the OpenAPI document
 * @param metricsRequireSecret {@code /metrics} needs the internal secret (an INTERNAL route) instead of being open
 * @param rateLimit          the limit per API key on the public API ({@link RateLimit#OFF} for none)
 */
public record HttpServerSettings(
        String host,
        int port,
        long maxBodyBytes,
        Duration shutdownTimeout,
        Duration readinessTimeout,
        String publicUrl,
        String version,
        boolean metricsRequireSecret,
        RateLimit rateLimit) {
    public static final long ONE_MIB = 1024L * 1024L;

    public HttpServerSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(readinessTimeout, "readinessTimeout");
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(version, "version");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        if (shutdownTimeout.isNegative() || readinessTimeout.isNegative() || readinessTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** With {@code /metrics} open and no rate limit. */
    public HttpServerSettings(String host, int port, long maxBodyBytes, Duration shutdownTimeout,
                              Duration readinessTimeout, String publicUrl, String version) {
        this(host, port, maxBodyBytes, shutdownTimeout, readinessTimeout, publicUrl, version, false, RateLimit.OFF);
    }

    /** The sign-in session cookie's name: it depends on whether the public URL is https. */
    public String sessionCookieName() {
        return io.agentbilling.http.auth.SessionCookie.forPublicUrl(publicUrl).name();
    }

    /** Loopback, any free port, spec limits: for tests. */
    public static HttpServerSettings forTests() {
        return new HttpServerSettings("127.0.0.1", 0, ONE_MIB, Duration.ofSeconds(5), Duration.ofSeconds(1),
                "http://localhost", "test");
    }
}
