package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.spend.Admission;
import io.agentbilling.http.json.Amounts;

/** One limit an admission checked, and what remains under it. */
public record LimitView(
        @JsonPropertyDescription("org_balance, member_daily, member_monthly, key_monthly or key_lifetime") String kind,
        @JsonPropertyDescription("The limit in cents; for org_balance, the committed balance (rounded down)")
        long limitCents,
        @JsonPropertyDescription("Spent in the limit's period, cents (half-even); null for org_balance") Long spentCents,
        @JsonPropertyDescription("Reserved by active holds counted against this limit, cents (half-even)")
        long heldCents,
        @JsonPropertyDescription("limit - spent - held, cents rounded down; negative once usage went past the limit")
        long remainingCents) {

    public static LimitView of(Admission.Limit limit) {
        return new LimitView(limit.kind().wireName(), Amounts.balanceCentsOf(limit.limit()),
                limit.spent() == null ? null : Amounts.centsOf(limit.spent()), Amounts.centsOf(limit.held()),
                Amounts.balanceCentsOf(limit.remaining()));
    }
}
