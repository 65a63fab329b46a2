package io.agentbilling.http.auth;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a presented {@code X-Internal-Secret} against the configured service credentials in constant time.
 *
 * <p>Both sides are hashed with SHA-256 first and the digests compared with {@link MessageDigest#isEqual}, so the
 * time taken depends neither on how many leading characters match nor on the secret's length; every credential is
 * compared on every call, so it does not depend on which one matched either. Only digests are kept in memory here.
 *
 * <p>Immutable and thread-safe.
 */
public final class InternalSecretVerifier {
    private final List<Entry> entries;

    private record Entry(String name, byte[] digest) {
    }

    public InternalSecretVerifier(List<InternalCredential> credentials) {
        List<Entry> digests = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (InternalCredential credential : credentials) {
            if (!names.add(credential.name())) {
                throw new IllegalArgumentException("two internal credentials are named '" + credential.name() + "'");
            }
            digests.add(new Entry(credential.name(), sha256(credential.secret())));
        }
        this.entries = List.copyOf(digests);
    }

    /** The name of the credential {@code presented} matches, or empty. */
    public Optional<String> verify(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] candidate = sha256(presented);
        String matched = null;
        for (Entry entry : entries) {
            // No early exit: the loop costs the same whichever entry matches, or none.
            if (MessageDigest.isEqual(entry.digest(), candidate) && matched == null) {
                matched = entry.name();
            }
        }
        return Optional.ofNullable(matched);
    }

    public int size() {
        return entries.size();
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
