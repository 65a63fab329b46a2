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

    /**
     * Creates one of the given values.
     */
    public static CreateOrg of(String name) {
        return new CreateOrg(name, null, null, null);
    }

    /**
     * A copy with another plan.
     */
    public CreateOrg withPlan(String code) {
        return new CreateOrg(name, code, signupGrantCents, idempotencyKey);
    }

    /**
     * A copy with another signup grant cents.
     *
     * @param cents the amount in cents
     */
    public CreateOrg withSignupGrantCents(long cents) {
        return new CreateOrg(name, plan, cents, idempotencyKey);
    }

    /**
     * A copy with another idempotency key.
     */
    public CreateOrg withIdempotencyKey(String key) {
        return new CreateOrg(name, plan, signupGrantCents, key);
    }
}
