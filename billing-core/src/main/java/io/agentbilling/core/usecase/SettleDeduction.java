package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.Settler;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.ledger.PostingEngine;
import io.agentbilling.core.money.Credits;
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

    public SettleDeduction(SettlementPricer pricer, Settler settler) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /** @param memberId optional */
    public record Command(OrgId orgId, MemberId memberId, long amountMicros, String resource, String description,
                          String referenceId, String idempotencyKey) implements SettlementCommand {}

    public SettlementResult execute(Command command) {
        return SettlementResult.of(settler.settle(pricer.request(command)));
    }

    static PostingEngine.Request request(Command c, Instant now) {
        Checks.required("orgId", c.orgId());
        Checks.positive("amountMicros", c.amountMicros());
        Checks.name("resource", c.resource(), Checks.MAX_NAME_LENGTH);
        Checks.description(c.description());
        Checks.referenceId(c.referenceId());
        Checks.idempotencyKey(c.idempotencyKey());

        Credits charge = Credits.ofMicros(c.amountMicros());
        String fingerprint = Fingerprint.of("deduction", c.memberId(), c.amountMicros(), c.resource(),
                c.description(), c.referenceId());
        String description = c.description() != null && !c.description().isBlank() ? c.description() : c.resource();
        Posting posting = Posting.of(c.orgId(), EntryType.USAGE, charge.negate(), c.memberId(), c.resource(),
                description, c.referenceId(), c.idempotencyKey(), fingerprint);
        UsageAmounts usage = new UsageAmounts(c.memberId(), UsageKind.RESOURCE, c.resource(), false, "", 1,
                0, 0, 0, 0, 0, charge);
        return new PostingEngine.Request(posting, List.of(usage), now);
    }
}
