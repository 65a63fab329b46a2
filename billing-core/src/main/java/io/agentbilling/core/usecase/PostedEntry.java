package io.agentbilling.core.usecase;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Stores;

/**
 * The result of a single ledger write, first time or replayed: the entry it appended (null when it moved no money),
 * the amount and the balance right after it.
 */
public record PostedEntry(LedgerEntry entry, Credits amount, Credits balanceAfter, boolean replayed) {

    /** Turns an engine result into a {@code PostedEntry}, or throws the rejection. */
    static PostedEntry from(Stores stores, PostingEngine.Result result, io.agentbilling.core.access.OrgId orgId) {
        if (result.isRejected()) {
            throw result.toException();
        }
        LedgerEntry entry = result.record().entryId() == null ? null
                : stores.ledger().findEntry(orgId, result.record().entryId())
                        .orElseThrow(() -> new IllegalStateException("entry of an idempotency record is missing"));
        return new PostedEntry(entry, result.record().amount(), result.record().balanceAfter(), result.replayed());
    }
}
