package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import java.util.Objects;

/**
 * The outcome of a settlement: what was charged (zero or positive), the ledger entry (null when nothing was charged,
 * e.g. a BYOK call), the org's balance right after it, and whether this is the replay of an earlier request with the
 * same idempotency key (then every other field is the original's).
 */
public record SettlementResult(Credits charged, EntryId entryId, Credits balanceAfter, boolean replayed) {
    /**
     * @param balanceAfter the balance right after it
     * @param charged what was charged
     * @param entryId the entry
     * @param replayed whether this is the replay of an earlier request
     */
    public SettlementResult {
        Objects.requireNonNull(charged, "charged");
        Objects.requireNonNull(balanceAfter, "balanceAfter");
        if (charged.isNegative()) {
            throw new IllegalArgumentException("a settlement charges, it never credits: " + charged);
        }
    }

    public long chargedMicros() {
        return charged.micros();
    }

    /** The result of a posted settlement; a rejected posting becomes the exception it stands for. */
    static SettlementResult of(PostingEngine.Result result) {
        if (result.isRejected()) {
            throw result.toException();
        }
        IdempotencyRecord record = result.record();
        return new SettlementResult(record.amount().negate(), record.entryId(), record.balanceAfter(),
                result.replayed());
    }
}
