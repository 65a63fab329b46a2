package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import java.time.Clock;
import java.util.Objects;

/**
 * A hold as it stands ({@code GET /v1/internal/billing/holds/{holdId}}): active, captured (and for how much),
 * released or expired. A hold whose time ran out reads as expired even before the sweep marks it. Thread-safe.
 */
public final class GetHold {
    private final Transactions transactions;
    private final Clock clock;

    public GetHold(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @throws BillingException {@code NOT_FOUND} for an unknown hold */
    public Hold execute(HoldId holdId) {
        Objects.requireNonNull(holdId, "holdId");
        Hold hold = transactions.read(stores -> stores.spend().findHold(holdId))
                .orElseThrow(() -> BillingException.notFound("hold"));
        return hold.isDueToExpireAt(clock.instant()) ? hold.expire(hold.expiresAt()) : hold;
    }
}
