package io.agentbilling.core.access;

import java.util.Objects;
import java.util.UUID;

/** Identifies a member of an organization. */
public record MemberId(UUID value) {
    public MemberId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Creates one of the given values.
     */
    public static MemberId of(String value) {
        return new MemberId(UUID.fromString(value));
    }

    public static MemberId random() {
        return new MemberId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
