package io.agentbilling.core.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The digest of a write's payload, stored with its idempotency key. Built from the fields that define the write, in
 * a fixed order, each length-prefixed so that no two different payloads share a canonical form.
 */
public final class Fingerprint {
    private Fingerprint() {}

    /**
     * Creates one of the given values.
     */
    public static String of(Object... parts) {
        StringBuilder canonical = new StringBuilder();
        for (Object part : parts) {
            String text = Objects.toString(part, "\u0000null");
            canonical.append(text.length()).append(':').append(text).append(';');
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
