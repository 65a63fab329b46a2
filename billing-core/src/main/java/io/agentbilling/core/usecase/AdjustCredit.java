package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import java.util.List;
import java.util.Objects;

/**
 * A signed manual correction with a reason, as an {@code adjustment} entry. The ledger is append-only: this is how
 * a mistake is corrected, never by changing an entry.
 */
public final class AdjustCredit {
    public static final int MAX_REASON_LENGTH = 500;

    private final Transactions transactions;
    private final PostingEngine engine;

    public AdjustCredit(Transactions transactions, PostingEngine engine) {
        this.transactions = Objects.requireNonNull(transactions);
        this.engine = Objects.requireNonNull(engine);
    }

    public record Command(OrgId orgId, Credits amount, String reason, String idempotencyKey) {
        public Command {
            Objects.requireNonNull(orgId, "orgId");
            Objects.requireNonNull(amount, "amount");
            if (amount.isZero()) {
                throw BillingException.invalid("amountCents", "must not be 0");
            }
            Commands.requireAmountWithinBound("amountCents", amount);
            if (reason == null || reason.isBlank()) {
                throw BillingException.invalid("reason", "is required");
            }
            Commands.requireOptionalText("reason", reason, MAX_REASON_LENGTH);
            Commands.requireIdempotencyKey(idempotencyKey);
        }
    }

    public PostedEntry execute(Command command) {
        String fingerprint = Fingerprint.of("adjustment", command.amount().micros(), command.reason());
        Posting posting = Posting.entry(command.orgId(), EntryType.ADJUSTMENT, command.amount(),
                EntryText.described(command.reason()), command.idempotencyKey(), fingerprint);
        return transactions.inTransaction(stores -> PostedEntry.from(stores,
                engine.post(stores, List.of(PostingEngine.Request.of(posting))).get(0), command.orgId()));
    }
}
