package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.spendcontrol.EventOutbox;
import io.agentbilling.core.webhooks.Events;
import io.agentbilling.core.spend.UtcPeriods;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Releases a hold ({@code DELETE /v1/internal/billing/holds/{holdId}}): its whole remaining reservation goes back at
 * once. Naturally idempotent: a hold already released or expired is answered as it is; one whose time ran out and
 * that nothing had marked yet is marked expired (and {@code hold.expired} recorded). A captured hold cannot be
 * released ({@code CONFLICT}): its settlement already released the rest. Thread-safe.
 */
public final class ReleaseHold {
    private final Transactions transactions;
    private final Clock clock;
    private final EventOutbox outbox;

    public ReleaseHold(Transactions transactions, Clock clock, EventOutbox outbox) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /**
     * @param holdId the hold
     * @return the hold after the release
     * @throws BillingException {@code NOT_FOUND} for an unknown hold; {@code CONFLICT} for a captured one
     */
    public Hold execute(HoldId holdId) {
        Objects.requireNonNull(holdId, "holdId");
        return transactions.inTransaction(stores -> {
            Instant now = UtcPeriods.now(clock);
            Hold found = stores.spend().findHold(holdId).orElseThrow(() -> BillingException.notFound("hold"));
            Hold hold = stores.spend().lockHolds(found.orgId(), Set.of(holdId)).get(holdId);
            switch (hold.status()) {
                case CAPTURED -> throw BillingException.of(BillingError.CONFLICT,
                        "the hold was captured by a settlement, which released the rest of it");
                case RELEASED, EXPIRED -> {
                    return hold;
                }
                case ACTIVE -> {
                    Hold after = hold.isDueToExpireAt(now) ? hold.expire(now) : hold.release(now);
                    stores.spend().updateHold(after);
                    if (hold.isDueToExpireAt(now)) {
                        outbox.record(stores, Events.holdExpired(after, now));
                    }
                    return after;
                }
            }
            throw new IllegalStateException("unhandled hold status " + hold.status());
        });
    }
}
