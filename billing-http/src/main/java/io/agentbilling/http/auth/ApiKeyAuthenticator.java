package io.agentbilling.http.auth;

import io.agentbilling.core.access.Caller;
import java.util.Optional;

/**
 * Resolves a presented API key (or another bearer token) to the member it belongs to. The composition root wires it
 * to the core's key lookup; a JWT authenticator could implement it too.
 *
 * <p>Implementations must be thread-safe, must not log the key, and return empty for an unknown, revoked or expired
 * key (which the server answers with 401 {@code invalid_token}). Infrastructure failures are thrown, not turned
 * into "empty": a database outage is a 503, not a wrong key.
 */
@FunctionalInterface
public interface ApiKeyAuthenticator {
    Optional<Caller> authenticate(String presentedKey);
}
