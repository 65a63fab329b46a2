package io.agentbilling.core.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The API-key rules: a key is {@code rt_live_} or {@code rt_test_} followed by 32 secure random bytes in URL-safe
 * base64 without padding (43 characters, 256 bits). Only its SHA-256 hash (lower-case hex) and a display prefix are
 * stored; a presented key that is not well-formed is refused before any lookup. Stateless and thread-safe.
 */
public final class ApiKeys {
    public static final String LIVE_PREFIX = "rt_live_";
    public static final String TEST_PREFIX = "rt_test_";
    public static final int SECRET_BYTES = 32;
    /** Base64 without padding of {@link #SECRET_BYTES} bytes. */
    public static final int SECRET_CHARS = 43;
    /** Characters of the secret kept in the display prefix, enough to tell keys apart, far too few to guess one. */
    public static final int DISPLAY_SECRET_CHARS = 4;

    private static final int PREFIX_CHARS = LIVE_PREFIX.length();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private ApiKeys() {}

    /** A freshly generated key: the plain key (to be shown once) and what is stored about it. */
    public record Generated(String plainKey, String keyHash, String displayPrefix, boolean test) {
        /**
         * @param keyHash the SHA-256 hash of the key (lower-case hex)
         * @param test whether it is a test key
         */
        public Generated {
            Objects.requireNonNull(plainKey, "plainKey");
            Objects.requireNonNull(keyHash, "keyHash");
            Objects.requireNonNull(displayPrefix, "displayPrefix");
        }

        /** Never prints the plain key, so a stray log line cannot leak it. */
        @Override
        public String toString() {
            return "Generated[displayPrefix=" + displayPrefix + ", test=" + test + "]";
        }
    }

    /**
     * A key made of {@code secret}, which must be {@link #SECRET_BYTES} bytes of secure randomness (the caller draws
     * them from its {@code IdGenerator}, so this rule stays a pure function).
     *
     * @param test whether it is a test key
     */
    public static Generated generate(byte[] secret, boolean test) {
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("a key secret has " + SECRET_BYTES + " bytes, not " + secret.length);
        }
        String plain = (test ? TEST_PREFIX : LIVE_PREFIX) + ENCODER.encodeToString(secret);
        return new Generated(plain, hash(plain), displayPrefix(plain), test);
    }

    /**
     * Prefix, exact length and URL-safe base64 alphabet; says nothing about whether the key exists.
     */
    public static boolean isWellFormed(String presented) {
        if (presented == null || presented.length() != PREFIX_CHARS + SECRET_CHARS) {
            return false;
        }
        if (!presented.startsWith(LIVE_PREFIX) && !presented.startsWith(TEST_PREFIX)) {
            return false;
        }
        for (int i = PREFIX_CHARS; i < presented.length(); i++) {
            if (!isBase64UrlChar(presented.charAt(i))) {
                return false;
            }
        }
        // 43 characters hold 258 bits; a key we generated has the 2 spare bits zero, i.e. is canonical base64.
        String secret = presented.substring(PREFIX_CHARS);
        return ENCODER.encodeToString(Base64.getUrlDecoder().decode(secret)).equals(secret);
    }

    public static boolean isTestKey(String plainKey) {
        return plainKey.startsWith(TEST_PREFIX);
    }

    /**
     * SHA-256 of the key's UTF-8 bytes, lower-case hex: what the directory stores and looks up.
     */
    public static String hash(String plainKey) {
        Objects.requireNonNull(plainKey, "plainKey");
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(plainKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * The prefix and the first {@value #DISPLAY_SECRET_CHARS} characters of the secret, e.g. {@code rt_live_AbCd}.
     */
    public static String displayPrefix(String plainKey) {
        if (!isWellFormed(plainKey)) {
            throw new IllegalArgumentException("not a well-formed API key");
        }
        return plainKey.substring(0, PREFIX_CHARS + DISPLAY_SECRET_CHARS);
    }

    private static boolean isBase64UrlChar(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }
}
