package io.agentbilling.http.auth;

import io.agentbilling.core.access.ServiceCredentials;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a presented {@code X-Internal-Secret} against the configured service credentials: the HTTP side of the
 * core's {@link ServiceCredentials}, which compares SHA-256 digests in constant time, every credential on every call.
 * Immutable and thread-safe.
 */
public final class InternalSecretVerifier {
    private final ServiceCredentials credentials;

    public InternalSecretVerifier(List<InternalCredential> credentials) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (InternalCredential credential : credentials) {
            if (byName.putIfAbsent(credential.name(), credential.secret()) != null) {
                throw new IllegalArgumentException("two internal credentials are named '" + credential.name() + "'");
            }
        }
        this.credentials = new ServiceCredentials(byName);
    }

    /** The name of the credential {@code presented} matches, or empty. */
    public Optional<String> verify(String presented) {
        return credentials.authenticate(presented);
    }

    public int size() {
        return credentials.names().size();
    }
}
