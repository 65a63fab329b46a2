package io.agentbilling.core.access;

import java.time.Instant;
import java.util.Objects;

/** An organization: the owner of a balance, on a plan (by plan code, e.g. {@code free}, {@code pro}). */
public record Org(OrgId id, String name, String plan, Instant createdAt) {
    /**
     * @param createdAt when it was created
     */
    public Org {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
