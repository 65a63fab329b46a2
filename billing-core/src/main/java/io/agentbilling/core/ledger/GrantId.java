package io.agentbilling.core.ledger;

import java.util.Objects;
import java.util.UUID;

/** Identifies one credit grant (a lot of promotional or sign-up credit). */
public record GrantId(UUID value) {
    public GrantId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Creates one of the given values.
     */
    public static GrantId of(String value) {
        return new GrantId(UUID.fromString(value));
    }

    public static GrantId random() {
        return new GrantId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
