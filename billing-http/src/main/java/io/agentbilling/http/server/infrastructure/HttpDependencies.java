package io.agentbilling.http.server.infrastructure;

import io.agentbilling.http.auth.ApiKeyAuthenticator;
import io.agentbilling.http.auth.InternalCredential;
import io.agentbilling.http.auth.SessionAuthenticator;
import java.util.List;
import java.util.Objects;

/**
 * What the server infrastructure needs from the composition root (route groups bring their own use cases).
 *
 * @param authenticator       resolves API keys on MEMBER and ADMIN routes
 * @param internalCredentials the service credentials accepted on INTERNAL routes (none: every internal call is 401)
 * @param readiness           answers {@code /ready}
 * @param metrics             the registry behind {@code /metrics}
 * @param sessions            resolves sign-in session cookies on MEMBER, ADMIN and SESSION routes
 */
public record HttpDependencies(
        ApiKeyAuthenticator authenticator,
        List<InternalCredential> internalCredentials,
        ReadinessCheck readiness,
        HttpMetrics metrics,
        SessionAuthenticator sessions) {
    public HttpDependencies {
        Objects.requireNonNull(authenticator, "authenticator");
        internalCredentials = List.copyOf(internalCredentials);
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(sessions, "sessions");
    }

    /** Without sign-in sessions (every session cookie is refused). */
    public HttpDependencies(ApiKeyAuthenticator authenticator, List<InternalCredential> internalCredentials,
                            ReadinessCheck readiness, HttpMetrics metrics) {
        this(authenticator, internalCredentials, readiness, metrics, SessionAuthenticator.NONE);
    }
}
