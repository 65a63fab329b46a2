package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.spend.ApiKeyCapStatus;
import io.agentbilling.http.json.Amounts;
import java.time.LocalDate;

/** An API key's caps and the spend through it. */
@JsonClassDescription("An API key's spend caps and where the key stands against them")
public record ApiKeyCapView(
        ApiKeyId keyId,
        MemberId memberId,
        String name,
        String displayPrefix,
        @JsonPropertyDescription("null: no monthly cap") Long monthlyCapCents,
        @JsonPropertyDescription("null: no lifetime cap") Long lifetimeCapCents,
        @JsonPropertyDescription("The first day of the UTC month the monthly figures are for") LocalDate monthStart,
        @JsonPropertyDescription("Spent through the key this month (plus BYOK at list price when the org counts it), "
                + "cents half-even") long spentThisMonthCents,
        @JsonPropertyDescription("The same over the key's life") long spentLifetimeCents,
        @JsonPropertyDescription("Reserved by active holds placed for the key, cents half-even") long heldCents,
        @JsonPropertyDescription("monthly cap - spent this month - held, cents rounded down; null without one")
        Long remainingThisMonthCents,
        @JsonPropertyDescription("lifetime cap - spent - held, cents rounded down; null without one")
        Long remainingLifetimeCents) {

    public static ApiKeyCapView of(ApiKeyCapStatus s) {
        return new ApiKeyCapView(s.key().id(), s.key().memberId(), s.key().name(), s.key().displayPrefix(),
                s.cap() == null ? null : MemberBudgetView.cents(s.cap().monthlyLimit()),
                s.cap() == null ? null : MemberBudgetView.cents(s.cap().lifetimeLimit()), s.monthStart(),
                Amounts.centsOf(s.spentThisMonth()), Amounts.centsOf(s.spentLifetime()), Amounts.centsOf(s.held()),
                MemberBudgetView.floor(s.remainingThisMonth()), MemberBudgetView.floor(s.remainingLifetime()));
    }
}
