package io.agentbilling.core.ledger;

import java.util.Objects;
import java.util.UUID;

/** Identifies one ledger entry. */
public record EntryId(UUID value) {
    public EntryId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Creates one of the given values.
     */
    public static EntryId of(String value) {
        return new EntryId(UUID.fromString(value));
    }

    public static EntryId random() {
        return new EntryId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
