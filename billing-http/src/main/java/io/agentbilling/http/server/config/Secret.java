package io.agentbilling.http.server.config;

import java.util.Objects;

/**
 * A configured secret (a password, an API key, a signing secret). Its {@link #toString()} is masked, so a
 * configuration record that holds one can be logged or printed whole; only {@link #reveal()} gives the value, at
 * the one place that hands it to a client library.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** Wraps a secret value. */
    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The secret itself; pass it on, never print it. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret && ((Secret) other).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** Always {@code ***}. */
    @Override
    public String toString() {
        return "***";
    }
}
