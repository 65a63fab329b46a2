package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.usecase.CheckCredit;
import io.agentbilling.http.json.Amounts;

/** The answer of the credit gate. */
public record CreditCheckView(
        boolean allowed,
        @JsonPropertyDescription("The committed balance, cents rounded toward negative infinity") long balanceCents,
        @JsonPropertyDescription("What the gate compares with the estimate, cents rounded toward negative infinity")
        long availableCents,
        @JsonPropertyDescription("insufficient_credits when refused; null when allowed") String reason) {

    public static CreditCheckView of(CheckCredit.Result result) {
        return new CreditCheckView(result.allowed(), Amounts.balanceCentsOf(result.balance()),
                Amounts.balanceCentsOf(result.available()), result.reason());
    }
}
