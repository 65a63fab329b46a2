package io.agentbilling.core.spend;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.money.Credits;
import java.util.Objects;

/**
 * Everything one admission decides on, read in one consistent snapshot: the org's balance and active holds, and,
 * when the work names them, the member's budget and spend and the key's cap and spend. Spend figures already include
 * BYOK calls at list price when the org counts them.
 *
 * @param member null when the work names no member
 * @param key    null when the work names no key
 */
public record SpendSnapshot(Credits balance, Credits heldByOrg, MemberSpend member, KeySpend key) {
    public SpendSnapshot {
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(heldByOrg, "heldByOrg");
    }

    /** A member's budget (null when none is set), what they spent today and this month (UTC), and their holds. */
    public record MemberSpend(MemberId memberId, MemberBudget budget, Credits spentToday, Credits spentThisMonth,
                              Credits held) {
        public MemberSpend {
            Objects.requireNonNull(memberId, "memberId");
            Objects.requireNonNull(spentToday, "spentToday");
            Objects.requireNonNull(spentThisMonth, "spentThisMonth");
            Objects.requireNonNull(held, "held");
        }
    }

    /** A key's cap (null when none is set), what was spent through it this month (UTC) and ever, and its holds. */
    public record KeySpend(ApiKeyId keyId, ApiKeyCap cap, Credits spentThisMonth, Credits spentLifetime,
                           Credits held) {
        public KeySpend {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(spentThisMonth, "spentThisMonth");
            Objects.requireNonNull(spentLifetime, "spentLifetime");
            Objects.requireNonNull(held, "held");
        }
    }

    /** The org's available credit: its balance less its active holds. */
    public Credits available() {
        return Admission.minus(balance, heldByOrg);
    }
}
