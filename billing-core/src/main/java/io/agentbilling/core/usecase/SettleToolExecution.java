package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.settlement.internal.Settler;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Settles tool executions at the tool's price (its own, else the catalog's default tool price). Thread-safe. */
public final class SettleToolExecution {
    static final String RESOURCE = "tool";

    private final SettlementPricer pricer;
    private final Settler settler;

    public SettleToolExecution(SettlementPricer pricer, Settler settler) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /** @param count executions, at least 1 (the API's default) */
    public record Command(OrgId orgId, MemberId memberId, String tool, long count, String referenceId,
                          String idempotencyKey) implements SettlementCommand {
        /** One execution. */
        public Command(OrgId orgId, MemberId memberId, String tool, String referenceId, String idempotencyKey) {
            this(orgId, memberId, tool, 1, referenceId, idempotencyKey);
        }
    }

    public SettlementResult execute(Command command) {
        return SettlementResult.of(settler.settle(pricer.request(command)));
    }

    static PostingEngine.Request request(Command c, PriceBook prices, Instant now) {
        Checks.required("orgId", c.orgId());
        Checks.required("memberId", c.memberId());
        Checks.name("tool", c.tool(), Checks.MAX_NAME_LENGTH);
        Checks.positive("count", c.count());
        Checks.atMost("count", c.count(), Checks.MAX_EXECUTIONS);
        Checks.referenceId(c.referenceId());
        Checks.idempotencyKey(c.idempotencyKey());

        Credits charge = prices.inForceAt(now).chargeForTool(c.tool(), c.count());
        String fingerprint = Fingerprint.of("tool", c.memberId(), c.tool(), c.count(), Checks.canonical(c.referenceId()));
        String description = "tool: " + c.tool() + (c.count() == 1 ? "" : " x" + c.count());
        Posting posting = Posting.usage(c.orgId(), c.memberId(), charge,
                EntryText.charge(RESOURCE, description).withReference(c.referenceId()), c.idempotencyKey(), fingerprint);
        UsageAmounts usage = UsageAmounts.tool(c.memberId(), c.tool(), c.count(), charge);
        return new PostingEngine.Request(posting, List.of(usage), now);
    }
}
