package io.agentbilling.core.access;

import java.time.Instant;
import java.util.Objects;

/** A member of one organization. {@code email} is optional (null). */
public record Member(MemberId id, OrgId orgId, String email, Role role, Instant createdAt) {
    /**
     * @param createdAt when it was created
     * @param email the email address; may be null
     * @param orgId the organization
     */
    public Member {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
