package io.agentbilling.core.usecase;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.GrantKind;
import io.agentbilling.core.ledger.IdempotencyRecord.ScopedKey;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** Adds promotional credit to an org as a {@code grant} lot, optionally expiring. */
public final class GrantCredit {
    public static final int MAX_DESCRIPTION_LENGTH = 500;

    private final Transactions transactions;
    private final PostingEngine engine;
    private final Clock clock;

    public GrantCredit(Transactions transactions, PostingEngine engine, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions);
        this.engine = Objects.requireNonNull(engine);
        this.clock = Objects.requireNonNull(clock);
    }

    /** @param expiresAt null = never expires */
    public record Command(OrgId orgId, Credits amount, Instant expiresAt, String description, String idempotencyKey) {
        public Command {
            Objects.requireNonNull(orgId, "orgId");
            Objects.requireNonNull(amount, "amount");
            if (!amount.isPositive()) {
                throw BillingException.invalid("amountCents", "must be > 0");
            }
            Commands.requireAmountWithinBound("amountCents", amount);
            Commands.requireOptionalText("description", description, MAX_DESCRIPTION_LENGTH);
            expiresAt = Commands.requireStorableInstant("expiresAt", expiresAt);
            Commands.requireIdempotencyKey(idempotencyKey);
        }
    }

    public PostedEntry execute(Command command) {
        String description = command.description() == null || command.description().isBlank()
                ? "promotional credit" : command.description();
        String fingerprint = Fingerprint.of("grant", command.amount().micros(), command.expiresAt(), description);
        Posting posting = Posting.grant(command.orgId(), GrantKind.PROMOTIONAL, command.amount(), command.expiresAt(),
                description, command.idempotencyKey(), fingerprint);
        return transactions.inTransaction(stores -> {
            // Only a new grant must expire in the future: a retry of one that was granted (the same key) replays it,
            // or is a conflict, even once its expiry has passed.
            if (command.expiresAt() != null && !command.expiresAt().isAfter(clock.instant())
                    && stores.ledger().findKey(new ScopedKey(command.orgId(), command.idempotencyKey())).isEmpty()) {
                throw BillingException.invalid("expiresAt", "must be in the future");
            }
            return PostedEntry.from(stores, engine.post(stores, List.of(PostingEngine.Request.of(posting))).get(0),
                    command.orgId());
        });
    }
}
