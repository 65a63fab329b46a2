package io.agentbilling.core.access;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import java.util.Objects;

/** An authenticated member acting through one API key (or another authenticator). */
public record Caller(OrgId orgId, MemberId memberId, Role role, ApiKeyId keyId) {
    /**
     * @param keyId the API key
     * @param memberId the member
     * @param orgId the organization
     */
    public Caller {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(role, "role");
    }

    /**
     * A member acting as themselves without an API key: how a service that embeds the engine acts for one of its
     * users (the member's org, id and role).
     *
     * @param member the member
     * @return a caller with no key
     */
    public static Caller of(Member member) {
        return new Caller(member.orgId(), member.id(), member.role(), null);
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /**
     * The org a request acts on: the caller's own when none is named; another org is forbidden whatever exists,
     * so that a 403 never reveals whether an org id is real.
     */
    public OrgId resolveOrg(OrgId requested) {
        if (requested == null || requested.equals(orgId)) {
            return orgId;
        }
        throw BillingException.of(BillingError.FORBIDDEN, "this key cannot act on another organization");
    }

    public void requireAdmin() {
        if (!isAdmin()) {
            throw BillingException.of(BillingError.FORBIDDEN, "this action needs an org admin's key");
        }
    }
}
