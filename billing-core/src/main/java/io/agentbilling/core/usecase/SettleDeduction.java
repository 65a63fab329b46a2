package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.settlement.internal.Settler;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A generic debit of an amount the caller computed (API.md Part B {@code deductions}), recorded as usage of
 * {@code resource} (kind RESOURCE, no unit). Thread-safe.
 */
public final class SettleDeduction {
    private final SettlementPricer pricer;
    private final Settler settler;
    private final Transactions transactions;

    /** @param transactions reads back the entry for {@link #executeAndRead} */
    public SettleDeduction(SettlementPricer pricer, Settler settler, Transactions transactions) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /** @param memberId optional */
    public record Command(OrgId orgId, MemberId memberId, long amountMicros, String resource, String description,
                          String referenceId, String idempotencyKey) implements SettlementCommand {}

    /** A settled deduction and the ledger entry it wrote (for a replay: the original entry). */
    public record Recorded(SettlementResult settlement, LedgerEntry entry) {
        public Recorded {
            Objects.requireNonNull(settlement, "settlement");
            Objects.requireNonNull(entry, "entry");
        }
    }

    public SettlementResult execute(Command command) {
        return SettlementResult.of(settler.settle(pricer.request(command)));
    }

    /**
     * Settles like {@link #execute} and reads back the entry, for callers that answer with it (the API returns a
     * deduction as its ledger entry). The read is a separate, committed read: the settlement may have gone through
     * the group-commit queue.
     */
    public Recorded executeAndRead(Command command) {
        SettlementResult settlement = execute(command);
        LedgerEntry entry = transactions.read(stores -> stores.ledger().findEntry(command.orgId(),
                        settlement.entryId()))
                .orElseThrow(() -> new IllegalStateException("the entry of a settled deduction is missing"));
        return new Recorded(settlement, entry);
    }

    static PostingEngine.Request request(Command c, Instant now) {
        Checks.required("orgId", c.orgId());
        Checks.positive("amountMicros", c.amountMicros());
        Checks.atMost("amountMicros", c.amountMicros(), Commands.MAX_AMOUNT_MICROS);
        Checks.name("resource", c.resource(), Checks.MAX_NAME_LENGTH);
        Checks.description(c.description());
        Checks.referenceId(c.referenceId());
        Checks.idempotencyKey(c.idempotencyKey());

        Credits charge = Credits.ofMicros(c.amountMicros());
        String description = c.description() != null && !c.description().isBlank() ? c.description() : c.resource();
        String fingerprint = Fingerprint.of("deduction", c.memberId(), c.amountMicros(), c.resource(),
                Checks.canonical(description, c.resource()), Checks.canonical(c.referenceId()));
        Posting posting = Posting.usage(c.orgId(), c.memberId(), charge,
                EntryText.charge(c.resource(), description).withReference(c.referenceId()), c.idempotencyKey(),
                fingerprint);
        UsageAmounts usage = UsageAmounts.resource(c.memberId(), c.resource(), "", 0, charge);
        return new PostingEngine.Request(posting, List.of(usage), now);
    }
}
