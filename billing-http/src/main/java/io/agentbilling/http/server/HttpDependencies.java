package io.agentbilling.http.server;

import io.agentbilling.http.auth.ApiKeyAuthenticator;
import io.agentbilling.http.auth.InternalCredential;
import java.util.List;
import java.util.Objects;

/**
 * What the server infrastructure needs from the composition root (route groups bring their own use cases).
 *
 * @param authenticator       resolves API keys on MEMBER and ADMIN routes
 * @param internalCredentials the service credentials accepted on INTERNAL routes (none: every internal call is 401)
 * @param readiness           answers {@code /ready}
 * @param metrics             the registry behind {@code /metrics}
 */
public record HttpDependencies(
        ApiKeyAuthenticator authenticator,
        List<InternalCredential> internalCredentials,
        ReadinessCheck readiness,
        HttpMetrics metrics) {
    public HttpDependencies {
        Objects.requireNonNull(authenticator, "authenticator");
        internalCredentials = List.copyOf(internalCredentials);
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(metrics, "metrics");
    }
}
