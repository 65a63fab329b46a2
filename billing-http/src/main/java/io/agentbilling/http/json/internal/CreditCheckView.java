package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.usecase.CheckCredit;
import io.agentbilling.http.json.Amounts;
import io.agentbilling.http.json.billing.LimitView;
import java.util.List;

/** The answer of the credit gate. */
public record CreditCheckView(
        boolean allowed,
        @JsonPropertyDescription("The committed balance, cents rounded toward negative infinity") long balanceCents,
        @JsonPropertyDescription("Reserved by the org's active holds, cents half-even") long heldCents,
        @JsonPropertyDescription("The balance less active holds, cents rounded toward negative infinity")
        long availableCents,
        @JsonPropertyDescription("insufficient_credits (the org's balance) or spend_limit_reached (a budget or cap) "
                + "when refused; null when allowed") String reason,
        @JsonPropertyDescription("The limit that refused: org_balance, member_daily, member_monthly, key_monthly or "
                + "key_lifetime; null when allowed") String limitedBy,
        @JsonPropertyDescription("Every limit that applies, org_balance first, with what remains under each; all "
                + "read in one consistent snapshot") List<LimitView> limits) {

    public static CreditCheckView of(CheckCredit.Result result) {
        return new CreditCheckView(result.allowed(), Amounts.balanceCentsOf(result.balance()),
                Amounts.centsOf(result.held()), Amounts.balanceCentsOf(result.available()), result.reason(),
                result.limitedBy() == null ? null : result.limitedBy().wireName(),
                result.limits().stream().map(LimitView::of).toList());
    }
}
