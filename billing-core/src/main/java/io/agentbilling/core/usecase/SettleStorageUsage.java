package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.settlement.internal.Settler;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import io.agentbilling.core.usage.UsageWindow;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Settles the storage a workspace held over {@code [from, to)}, measured in byte-seconds, at the per-GiB-month price
 * in force at {@code from}. The usage counts on the UTC day of {@code from}. Thread-safe.
 */
public final class SettleStorageUsage {
    static final String RESOURCE = "storage";

    private final SettlementPricer pricer;
    private final Settler settler;

    public SettleStorageUsage(SettlementPricer pricer, Settler settler) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /**
     * @param memberId optional: storage may belong to the org rather than a member
     * @param from     within the {@link UsageWindow} and not before the org was created (422 otherwise)
     * @param to       after {@code from}, not ahead of the clock (422)
     */
    public record Command(OrgId orgId, String workspaceId, MemberId memberId, long byteSeconds, Instant from,
                          Instant to, String idempotencyKey) implements SettlementCommand {}

    public SettlementResult execute(Command command) {
        return SettlementResult.of(settler.settle(pricer.request(command)));
    }

    static PostingEngine.Request request(Command c, PriceBook prices, Instant now, UsageWindow window) {
        Checks.required("orgId", c.orgId());
        Checks.name("workspaceId", c.workspaceId(), Checks.MAX_NAME_LENGTH);
        Checks.nonNegative("byteSeconds", c.byteSeconds());
        Checks.required("from", c.from());
        Checks.required("to", c.to());
        if (!c.from().isBefore(c.to())) {
            throw BillingException.invalid("to", "must be after from");
        }
        UsageWindow.notInFuture("to", c.to(), now);
        window.usageAt("from", c.from(), now);
        Checks.idempotencyKey(c.idempotencyKey());

        Credits charge = prices.inForceAt(c.from()).chargeForStorage(c.byteSeconds());
        String fingerprint = Fingerprint.of("storage", c.workspaceId(), c.memberId(), c.byteSeconds(), c.from(),
                c.to());
        String description = "workspace storage " + c.from() + " to " + c.to();
        Posting posting = Posting.usage(c.orgId(), c.memberId(), charge,
                EntryText.charge(RESOURCE, description).withReference(c.workspaceId()), c.idempotencyKey(), fingerprint);
        UsageAmounts usage = UsageAmounts.storage(c.memberId(), c.workspaceId(), c.byteSeconds(), charge);
        return new PostingEngine.Request(posting, List.of(usage), c.from(), "from");
    }
}
