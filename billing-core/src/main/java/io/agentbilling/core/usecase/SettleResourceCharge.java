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
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Settles a resource-level charge such as code execution: {@code quantity} of {@code resource} in {@code unit}, at
 * the catalog's price for that resource unless the caller names the amount. Without an amount, an unknown resource
 * or a unit the catalog does not price it in is {@code unprocessable}. Thread-safe.
 */
public final class SettleResourceCharge {
    private final SettlementPricer pricer;
    private final Settler settler;

    public SettleResourceCharge(SettlementPricer pricer, Settler settler) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /**
     * @param memberId     optional
     * @param quantity     whole units of {@code unit}
     * @param amountMicros the charge when the caller prices it itself; null = priced by the catalog
     */
    public record Command(OrgId orgId, MemberId memberId, String resource, long quantity, String unit,
                          Long amountMicros, String description, String referenceId, String idempotencyKey)
            implements SettlementCommand {}

    public SettlementResult execute(Command command) {
        return SettlementResult.of(settler.settle(pricer.request(command)));
    }

    static PostingEngine.Request request(Command c, PriceBook prices, Instant now) {
        Checks.required("orgId", c.orgId());
        Checks.name("resource", c.resource(), Checks.MAX_NAME_LENGTH);
        Checks.nonNegative("quantity", c.quantity());
        Checks.atMost("quantity", c.quantity(), Checks.MAX_QUANTITY);
        Checks.name("unit", c.unit(), Checks.MAX_UNIT_LENGTH);
        if (c.amountMicros() != null) {
            Checks.nonNegative("amountMicros", c.amountMicros());
            Checks.atMost("amountMicros", c.amountMicros(), Commands.MAX_AMOUNT_MICROS);
        }
        if (c.quantity() == 0 && (c.amountMicros() == null || c.amountMicros() == 0)) {
            throw BillingException.invalid("quantity", "must be > 0 unless an amount is given");
        }
        Checks.description(c.description());
        Checks.referenceId(c.referenceId());
        Checks.idempotencyKey(c.idempotencyKey());

        Credits charge = c.amountMicros() != null
                ? Credits.ofMicros(c.amountMicros())
                : prices.inForceAt(now).chargeForResource(c.resource(), c.quantity(), c.unit());
        String defaultDescription = c.resource() + ": " + c.quantity() + " " + c.unit();
        String description = c.description() != null && !c.description().isBlank() ? c.description() : defaultDescription;
        String fingerprint = Fingerprint.of("resource", c.memberId(), c.resource(), c.quantity(), c.unit(),
                c.amountMicros(), Checks.canonical(description, defaultDescription), Checks.canonical(c.referenceId()));
        Posting posting = Posting.usage(c.orgId(), c.memberId(), charge,
                EntryText.charge(c.resource(), description).withReference(c.referenceId()), c.idempotencyKey(),
                fingerprint);
        UsageAmounts usage = UsageAmounts.resource(c.memberId(), c.resource(), c.unit(), c.quantity(), charge);
        return new PostingEngine.Request(posting, List.of(usage), now);
    }
}
