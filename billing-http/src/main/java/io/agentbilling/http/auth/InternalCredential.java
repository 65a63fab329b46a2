package io.agentbilling.http.auth;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One named service credential accepted in {@code X-Internal-Secret} on internal routes. Several may be configured so
 * that one can be rotated at a time; the name (never the secret) identifies the calling service in logs.
 */
public record InternalCredential(String name, String secret) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Shorter secrets are guessable; 16 characters of a random string is the least we accept. */
    public static final int MIN_SECRET_LENGTH = 16;
    public static final int MAX_SECRET_LENGTH = 512;

    public InternalCredential {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(secret, "secret");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "an internal credential name must be 1-64 characters of letters, digits, '_', '.', '-'");
        }
        if (secret.length() < MIN_SECRET_LENGTH || secret.length() > MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException("the internal secret named '" + name + "' must be "
                    + MIN_SECRET_LENGTH + " to " + MAX_SECRET_LENGTH + " characters long");
        }
        if (!secret.strip().equals(secret) || secret.contains(",")) {
            throw new IllegalArgumentException(
                    "the internal secret named '" + name + "' must not contain commas or surrounding whitespace");
        }
    }

    /** Never prints the secret. */
    @Override
    public String toString() {
        return "InternalCredential[name=" + name + ", secret=***]";
    }
}
