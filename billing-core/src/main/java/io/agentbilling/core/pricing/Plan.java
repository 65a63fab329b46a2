package io.agentbilling.core.pricing;

import io.agentbilling.core.money.Credits;
import java.util.Objects;

/**
 * A plan an org is on.
 *
 * @param code              the plan code of the API ({@code free}, {@code pro}, {@code team}, {@code enterprise})
 * @param signupGrant       credit granted once when an org is created on this plan (as {@code signup_grant})
 * @param signupGrantDays   days until the sign-up credit expires; 0 = never
 * @param storageQuotaBytes workspace storage an org on this plan may hold
 */
public record Plan(String code, String displayName, Credits signupGrant, int signupGrantDays, long storageQuotaBytes) {
    /** The plan of an org created without naming one; every catalog offers it. */
    public static final String DEFAULT_CODE = "free";

    /**
     * @param code the plan code of the API ({@code free}, {@code pro}, {@code team}, {@code enterprise})
     * @param signupGrant credit granted once when an org is created on this plan (as {@code signup_grant})
     * @param signupGrantDays days until the sign-up credit expires; 0 = never
     * @param storageQuotaBytes workspace storage an org on this plan may hold
     */
    public Plan {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(signupGrant, "signupGrant");
        if (signupGrant.isNegative() || signupGrantDays < 0 || storageQuotaBytes < 0) {
            throw new IllegalArgumentException("plan " + code + " has a negative grant, grant period or quota");
        }
    }
}
