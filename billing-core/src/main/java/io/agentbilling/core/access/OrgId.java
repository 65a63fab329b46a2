package io.agentbilling.core.access;

import java.util.Objects;
import java.util.UUID;

/**
 * Identifies an organization, the owner of a balance. Ordered as PostgreSQL orders {@code uuid} (the 16 bytes
 * unsigned, big-endian), so that the in-memory and the database adapters page and lock orgs in the same order.
 */
public record OrgId(UUID value) implements Comparable<OrgId> {
    public OrgId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Creates one of the given values.
     */
    public static OrgId of(String value) {
        return new OrgId(UUID.fromString(value));
    }

    public static OrgId random() {
        return new OrgId(UUID.randomUUID());
    }

    @Override
    public int compareTo(OrgId other) {
        int high = Long.compareUnsigned(value.getMostSignificantBits(), other.value.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(value.getLeastSignificantBits(), other.value.getLeastSignificantBits());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
