package io.agentbilling.core.access;

import java.util.Objects;
import java.util.UUID;

/** Identifies an organization, the owner of a balance. */
public record OrgId(UUID value) {
    public OrgId {
        Objects.requireNonNull(value, "value");
    }

    public static OrgId of(String value) {
        return new OrgId(UUID.fromString(value));
    }

    public static OrgId random() {
        return new OrgId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
