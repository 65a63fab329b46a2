package io.agentbilling.core.spend;

import java.util.Objects;
import java.util.UUID;

/** Identifies a hold: credit reserved for work that has been admitted and not yet settled. */
public record HoldId(UUID value) {
    public HoldId {
        Objects.requireNonNull(value, "value");
    }

    public static HoldId of(String value) {
        return new HoldId(UUID.fromString(value));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
