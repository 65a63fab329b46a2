package io.agentbilling.core.spend;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.Objects;

/**
 * What may be spent through one API key per UTC calendar month and over its whole life. Spend through a key is what
 * settlements attributed to it (through a hold placed for the key, or a settlement naming the key), plus BYOK calls
 * at list price when the org counts them; active holds for the key count as spent until they close. A cap of 0
 * admits nothing.
 *
 * @param monthlyLimit  null for no monthly cap
 * @param lifetimeLimit null for no lifetime cap; a cap has at least one of the two
 */
public record ApiKeyCap(OrgId orgId, ApiKeyId keyId, Credits monthlyLimit, Credits lifetimeLimit,
                        Instant updatedAt) {
    public ApiKeyCap {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (monthlyLimit == null && lifetimeLimit == null) {
            throw new IllegalArgumentException("a cap has a monthly or a lifetime limit");
        }
        if ((monthlyLimit != null && monthlyLimit.isNegative())
                || (lifetimeLimit != null && lifetimeLimit.isNegative())) {
            throw new IllegalArgumentException("a limit is zero or more");
        }
    }
}
