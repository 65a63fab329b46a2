package io.agentbilling.core.spend;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.Objects;

/**
 * What a member may spend per UTC calendar month and, optionally, per UTC day. Spend is what the usage rollups
 * charged the member in the period (plus BYOK calls at list price when the org counts them), and active holds
 * placed for the member count as spent until they are captured or released. A limit of 0 admits nothing.
 *
 * @param monthlyLimit null for no monthly limit
 * @param dailyLimit   null for no daily limit; a budget has at least one of the two
 */
public record MemberBudget(OrgId orgId, MemberId memberId, Credits monthlyLimit, Credits dailyLimit,
                           Instant updatedAt) {
    public MemberBudget {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (monthlyLimit == null && dailyLimit == null) {
            throw new IllegalArgumentException("a budget has a monthly or a daily limit");
        }
        if ((monthlyLimit != null && monthlyLimit.isNegative()) || (dailyLimit != null && dailyLimit.isNegative())) {
            throw new IllegalArgumentException("a limit is zero or more");
        }
    }
}
