package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.ledger.LedgerTotals;
import io.agentbilling.core.usecase.GetCredits;

/**
 * {@code GET /v1/billing/credits} (API.md A2). The cents figures keep
 * {@code balanceCents == totalGrantedCents - totalUsedCents - expiredCents - refundedToCardCents} exactly; the
 * {@code …Micros} siblings keep the same identity in exact amounts.
 */
@JsonClassDescription("Credit balance and ledger totals. balanceCents == totalGrantedCents - totalUsedCents - "
        + "expiredCents - refundedToCardCents, exactly; the same holds for the …Micros fields")
public record CreditsView(
        @JsonPropertyDescription("Balance in cents, rounded toward negative infinity") long balanceCents,
        @JsonPropertyDescription("The exact balance, in millionths of a cent") long balanceMicros,
        @JsonPropertyDescription("All credit ever added: grants, top-ups, auto top-ups, refunds of usage")
        long totalGrantedCents,
        long totalGrantedMicros,
        @JsonPropertyDescription("All usage ever charged, net of reversals; in cents it is the rest of the identity, "
                + "so it is the exact figure rounded up or down, less than a cent away")
        long totalUsedCents,
        long totalUsedMicros,
        @JsonPropertyDescription("True once the sign-up credit is fully consumed or expired (or there never was any)")
        boolean freeCreditsUsed,
        @JsonPropertyDescription("Grant credit that expired unused, rounded up") long expiredCents,
        long expiredMicros,
        @JsonPropertyDescription("Purchased credit refunded to the card, rounded up") long refundedToCardCents,
        long refundedToCardMicros,
        @JsonPropertyDescription("Credit reserved by active holds, cents half-even") long heldCents,
        @JsonPropertyDescription("Spendable now: the balance less active holds, rounded toward negative infinity")
        long availableCents) {

    public static CreditsView of(GetCredits.Result credits) {
        LedgerTotals totals = credits.totals();
        LedgerTotals.InCents cents = totals.inCents();
        return new CreditsView(cents.balanceCents(), credits.balance().micros(),
                cents.grantedCents(), totals.granted().micros(),
                cents.usedCents(), totals.used().micros(),
                credits.freeCreditsUsed(),
                cents.expiredCents(), totals.expired().micros(),
                cents.refundedToCardCents(), totals.refundedToCard().micros(),
                credits.held().toCentsHalfEven(), credits.available().toCentsFloor());
    }
}
