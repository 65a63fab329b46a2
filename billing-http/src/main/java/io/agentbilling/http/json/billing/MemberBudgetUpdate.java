package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.SetMemberBudget;

/** The body of {@code PUT /v1/billing/budgets/members/{memberId}}: replaces both limits. */
@JsonClassDescription("A member's budget; both limits are replaced, a null or omitted limit is none, both null "
        + "removes the budget")
public record MemberBudgetUpdate(
        @JsonPropertyDescription("Defaults to the caller's organization") OrgId orgId,
        @JsonPropertyDescription("Per UTC calendar month, in cents (0..100000000000); null: no monthly limit")
        Long monthlyLimitCents,
        @JsonPropertyDescription("Per UTC day, in cents (0..100000000000); null: no daily limit")
        Long dailyLimitCents) {

    public SetMemberBudget.Command toCommand(Caller caller, MemberId memberId) {
        return SetMemberBudget.Command.builder().caller(caller).orgId(orgId).memberId(memberId)
                .monthlyLimitCents(monthlyLimitCents).dailyLimitCents(dailyLimitCents).build();
    }
}
