package io.agentbilling.client.service;

import java.util.Objects;

/**
 * An organization to create ({@code POST /v1/internal/orgs}).
 *
 * @param plan             a plan code of the catalog; null = {@code free}
 * @param signupGrantCents the sign-up grant (0 = none); null = the plan's
 */
public record CreateOrg(String name, String plan, Long signupGrantCents, String idempotencyKey) {
    public CreateOrg {
        Objects.requireNonNull(name, "name");
    }

    public static CreateOrg of(String name) {
        return new CreateOrg(name, null, null, null);
    }

    public CreateOrg withPlan(String code) {
        return new CreateOrg(name, code, signupGrantCents, idempotencyKey);
    }

    public CreateOrg withSignupGrantCents(long cents) {
        return new CreateOrg(name, plan, cents, idempotencyKey);
    }

    public CreateOrg withIdempotencyKey(String key) {
        return new CreateOrg(name, plan, signupGrantCents, key);
    }
}
