package io.agentbilling.core.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The internal secrets that service-to-service callers present ({@code X-Internal-Secret}), each under a name so one
 * can be rotated at a time: configure the new one beside the old, move the callers, then drop the old one.
 *
 * <p>A presented secret is compared with every configured one, in constant time and without stopping at a match,
 * over SHA-256 digests (so that neither the position of the first differing byte nor the secrets' lengths show in
 * the timing). Immutable and thread-safe; never prints a secret.
 */
public final class ServiceCredentials {
    public static final int MIN_SECRET_CHARS = 16;
    /** A bound on what is hashed per request, so a huge header cannot make authentication expensive. */
    public static final int MAX_SECRET_CHARS = 512;

    private record Credential(String name, byte[] digest) {}

    private final List<Credential> credentials;

    /**
     * @param secretsByName credential name → secret; secrets have at least {@value #MIN_SECRET_CHARS} characters
     *                      and are distinct (two names for one secret would make the name ambiguous). May be empty,
     *                      in which case nothing authenticates.
     */
    public ServiceCredentials(Map<String, String> secretsByName) {
        Objects.requireNonNull(secretsByName, "secretsByName");
        List<Credential> list = new ArrayList<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(secretsByName).entrySet()) {
            String name = entry.getKey();
            String secret = entry.getValue();
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a service credential needs a name");
            }
            if (secret == null || secret.length() < MIN_SECRET_CHARS || secret.length() > MAX_SECRET_CHARS) {
                throw new IllegalArgumentException("service credential '" + name + "' must have "
                        + MIN_SECRET_CHARS + ".." + MAX_SECRET_CHARS + " characters");
            }
            byte[] digest = sha256(secret);
            if (list.stream().anyMatch(c -> MessageDigest.isEqual(c.digest(), digest))) {
                throw new IllegalArgumentException("service credential '" + name + "' repeats another one's secret");
            }
            list.add(new Credential(name, digest));
        }
        this.credentials = List.copyOf(list);
    }

    /**
     * The name of the credential {@code presented} matches; empty for a missing, wrong or oversized secret.
     *
     * @return the string, or empty when there is none
     */
    public Optional<String> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > MAX_SECRET_CHARS) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        String match = null;
        for (Credential credential : credentials) {
            // No early exit: every credential is compared whatever matched before.
            if (MessageDigest.isEqual(credential.digest(), digest)) {
                match = credential.name();
            }
        }
        return Optional.ofNullable(match);
    }

    /**
     * The configured credential names (for start-up logs).
     */
    public List<String> names() {
        return credentials.stream().map(Credential::name).toList();
    }

    @Override
    public String toString() {
        return "ServiceCredentials" + names();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
