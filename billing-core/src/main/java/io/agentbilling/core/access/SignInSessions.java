package io.agentbilling.core.access;

import java.time.Duration;
import java.util.Base64;
import java.util.Objects;

/**
 * The sign-in session rules: a token is {@code bs_} followed by 32 secure random bytes in URL-safe base64 without
 * padding (256 bits); only its SHA-256 hash is stored; a presented token that is not well-formed is refused before any
 * lookup; a session lives for {@link #lifetime()} from sign-in (no sliding renewal, so a stolen token is worth a
 * bounded time). Immutable and thread-safe.
 */
public final class SignInSessions {
    public static final String TOKEN_PREFIX = "bs_";
    public static final int SECRET_BYTES = 32;
    private static final int SECRET_CHARS = 43;
    /** A working day: long enough not to interrupt a person, short enough to bound a forgotten browser. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(8);
    public static final Duration MIN_LIFETIME = Duration.ofMinutes(1);
    public static final Duration MAX_LIFETIME = Duration.ofDays(30);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Duration lifetime;

    /**
     * Creates the sign in sessions.
     */
    public SignInSessions(Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new IllegalArgumentException("a session lifetime must be between " + MIN_LIFETIME + " and "
                    + MAX_LIFETIME);
        }
        this.lifetime = lifetime;
    }

    public static SignInSessions defaults() {
        return new SignInSessions(DEFAULT_LIFETIME);
    }

    public Duration lifetime() {
        return lifetime;
    }

    /**
     * A new token made of {@code secret} ({@link #SECRET_BYTES} bytes of secure randomness), to be handed to the
     * client once; store {@link #hash} of it.
     */
    public static String newToken(byte[] secret) {
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("a session secret has " + SECRET_BYTES + " bytes, not " + secret.length);
        }
        return TOKEN_PREFIX + ENCODER.encodeToString(secret);
    }

    /**
     * Prefix, length and alphabet; says nothing about whether the session exists.
     */
    public static boolean isWellFormed(String token) {
        if (token == null || token.length() != TOKEN_PREFIX.length() + SECRET_CHARS || !token.startsWith(TOKEN_PREFIX)) {
            return false;
        }
        for (int i = TOKEN_PREFIX.length(); i < token.length(); i++) {
            char c = token.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * SHA-256 of the token, lower-case hex (the same digest as API keys).
     */
    public static String hash(String token) {
        return ApiKeys.hash(token);
    }
}
