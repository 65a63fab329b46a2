package io.agentbilling.http.auth;

import io.agentbilling.core.access.Caller;
import java.util.Optional;

/**
 * Resolves a sign-in session token (from the session cookie) to the member it acts as. The composition root wires it
 * to the core's session check, which also requires the API key the session was opened with to be active still.
 * Implementations must be thread-safe, must not log the token, and return empty for an unknown, ended or expired
 * session (answered 401 {@code invalid_token}); infrastructure failures are thrown.
 */
@FunctionalInterface
public interface SessionAuthenticator {
    /** No sign-in sessions: every session cookie is refused. */
    SessionAuthenticator NONE = token -> Optional.empty();

    Optional<Caller> authenticate(String sessionToken);
}
