package io.agentbilling.core.access;

import java.util.Objects;
import java.util.UUID;

/** Identifies an API key (never the key itself). */
public record ApiKeyId(UUID value) {
    public ApiKeyId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Creates one of the given values.
     */
    public static ApiKeyId of(String value) {
        return new ApiKeyId(UUID.fromString(value));
    }

    public static ApiKeyId random() {
        return new ApiKeyId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
