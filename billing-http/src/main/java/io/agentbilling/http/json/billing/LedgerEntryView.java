package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.ledger.LedgerEntry;
import java.time.Instant;

/** One entry of {@code GET /v1/billing/credits/history} (API.md A3). */
@JsonClassDescription("A ledger entry. Entries chain exactly in micros: balanceAfterMicros(n) == "
        + "balanceAfterMicros(n-1) + amountMicros(n)")
public record LedgerEntryView(
        EntryId id,
        OrgId orgId,
        @JsonPropertyDescription("grant, signup_grant, topup, auto_topup, usage, refund, adjustment, expiry, reversal")
        String type,
        @JsonPropertyDescription("Signed (credits positive, debits negative), rounded half-even") long amountCents,
        @JsonPropertyDescription("The exact signed amount, in millionths of a cent") long amountMicros,
        @JsonPropertyDescription("What was charged (model, sandbox, storage, tool, code_exec, …); empty for credits")
        String resource,
        String description,
        @JsonPropertyDescription("The caller's reference: checkout session, payment, usage request id…; may be empty")
        String referenceId,
        @JsonPropertyDescription("The balance after this entry, rounded toward negative infinity")
        long balanceAfterCents,
        long balanceAfterMicros,
        Instant createdAt) {

    public static LedgerEntryView of(LedgerEntry entry) {
        return new LedgerEntryView(entry.id(), entry.orgId(), entry.type().wireName(),
                entry.amount().toCentsHalfEven(), entry.amount().micros(), entry.resource(), entry.description(),
                entry.referenceId(), entry.balanceAfter().toCentsFloor(), entry.balanceAfter().micros(),
                entry.createdAt());
    }
}
