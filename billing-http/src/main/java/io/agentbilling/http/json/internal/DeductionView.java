package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.core.usecase.SettlementResult;
import io.agentbilling.http.json.Amounts;
import java.time.Instant;

/** A settled deduction: its ledger entry (the fields of a credit-history entry) and the charge. */
public record DeductionView(
        EntryId id,
        OrgId orgId,
        MemberId memberId,
        @JsonPropertyDescription("Always usage") String type,
        @JsonPropertyDescription("Signed (negative: a debit), cents rounded half-even") long amountCents,
        long amountMicros,
        String resource,
        String description,
        String referenceId,
        @JsonPropertyDescription("Cents rounded toward negative infinity") long balanceAfterCents,
        long balanceAfterMicros,
        Instant createdAt,
        long chargedCents,
        long chargedMicros,
        @JsonPropertyDescription("The balance right after the deduction (for a replay: after the original)")
        long balanceCents,
        long balanceMicros,
        boolean replayed) {

    public static DeductionView of(SettleDeduction.Recorded recorded) {
        LedgerEntry entry = recorded.entry();
        SettlementResult settlement = recorded.settlement();
        return new DeductionView(entry.id(), entry.orgId(), entry.memberId(), entry.type().wireName(),
                Amounts.centsOf(entry.amount()), entry.amount().micros(), entry.resource(), entry.description(),
                entry.referenceId(), Amounts.balanceCentsOf(entry.balanceAfter()), entry.balanceAfter().micros(),
                entry.createdAt(), Amounts.centsOf(settlement.charged()), settlement.chargedMicros(),
                Amounts.balanceCentsOf(settlement.balanceAfter()), settlement.balanceAfter().micros(),
                settlement.replayed());
    }
}
