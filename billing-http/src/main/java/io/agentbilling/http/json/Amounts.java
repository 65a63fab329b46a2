package io.agentbilling.http.json;

import io.agentbilling.core.money.Credits;

/**
 * Writes money amounts into answers: the API's {@code …Cents} figures derived from exact credit (spec/API.md §0).
 * What a request may name — the bound on one amount, the sign each field allows — is the core's rule
 * ({@link io.agentbilling.core.money.CreditAmounts}), applied by the use cases to the fields as sent.
 */
public final class Amounts {
    private Amounts() {
    }

    /** A credit amount as whole cents, half-even: the rule for a single amount (spec/API.md §0). */
    public static long centsOf(Credits amount) {
        return amount.toCentsHalfEven();
    }

    /** A balance as whole cents, rounded toward negative infinity (spec/API.md §0). */
    public static long balanceCentsOf(Credits balance) {
        return balance.toCentsFloor();
    }
}
