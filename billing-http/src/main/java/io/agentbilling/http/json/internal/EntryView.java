package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.usecase.PostedEntry;
import io.agentbilling.http.json.Amounts;
import java.time.Instant;

/** A ledger entry written by an internal call (a grant, an adjustment), with the fields of a credit-history entry. */
public record EntryView(
        EntryId id,
        OrgId orgId,
        @JsonPropertyDescription("null for org-level entries") MemberId memberId,
        @JsonPropertyDescription("grant, adjustment, …") String type,
        @JsonPropertyDescription("Signed: credits positive, debits negative; cents rounded half-even")
        long amountCents,
        long amountMicros,
        @JsonPropertyDescription("Empty for credits") String resource,
        String description,
        String referenceId,
        @JsonPropertyDescription("Cents rounded toward negative infinity") long balanceAfterCents,
        long balanceAfterMicros,
        Instant createdAt,
        @JsonPropertyDescription("True when this repeats an earlier request with the same idempotency key")
        boolean replayed) {

    public static EntryView of(PostedEntry posted) {
        LedgerEntry entry = posted.entry();
        if (entry == null) {
            throw new IllegalStateException("a grant or adjustment always writes an entry");
        }
        return new EntryView(entry.id(), entry.orgId(), entry.memberId(), entry.type().wireName(),
                Amounts.centsOf(entry.amount()), entry.amount().micros(), entry.resource(), entry.description(),
                entry.referenceId(), Amounts.balanceCentsOf(entry.balanceAfter()), entry.balanceAfter().micros(),
                entry.createdAt(), posted.replayed());
    }
}
