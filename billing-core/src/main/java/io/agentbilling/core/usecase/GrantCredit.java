package io.agentbilling.core.usecase;

import io.agentbilling.core.money.CreditAmounts;
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

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param engine the posting engine
     * @param clock the clock that tells the time
     */
    public GrantCredit(Transactions transactions, PostingEngine engine, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions);
        this.engine = Objects.requireNonNull(engine);
        this.clock = Objects.requireNonNull(clock);
    }

    /**
     * Promotional credit to grant: an amount ({@code amountCents}, {@code amountMicros} or {@link Builder#amount}) of
     * 1 micro to one billion dollars. Checked when built.
     */
    public static final class Command {
        private final OrgId orgId;
        private final Credits amount;
        private final Instant expiresAt;
        private final String description;
        private final String idempotencyKey;

        private Command(Builder b) {
            Objects.requireNonNull(b.orgId, "orgId");
            this.amount = CreditAmounts.required("amount", b.amountCents, b.amountMicros, CreditAmounts.Sign.POSITIVE);
            this.expiresAt = Commands.requireStorableInstant("expiresAt", b.expiresAt);
            this.orgId = b.orgId;
            this.description = b.description;
            this.idempotencyKey = b.idempotencyKey;
            Commands.requireOptionalText("description", description, MAX_DESCRIPTION_LENGTH);
            Commands.requireIdempotencyKey(idempotencyKey);
        }

        /**
         * A builder with every field unset (null, 0 or false); set fields by name, then build().
         */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * The org; required.
         *
         * @return the orgId
         */
        public OrgId orgId() {
            return orgId;
        }

        /**
         * The credit to grant, positive.
         *
         * @return the amount
         */
        public Credits amount() {
            return amount;
        }

        /**
         * When the unconsumed remainder expires; null = never; must be in the future for a new grant.
         *
         * @return the expiresAt
         */
        public Instant expiresAt() {
            return expiresAt;
        }

        /**
         * The entry's description; null = {@code "promotional credit"}.
         *
         * @return the description
         */
        public String description() {
            return description;
        }

        /**
         * The caller's key; required.
         *
         * @return the idempotencyKey
         */
        public String idempotencyKey() {
            return idempotencyKey;
        }

        @Override
        public String toString() {
            return "GrantCredit.Command[" + "orgId=" + orgId + ", amount=" + amount + ", expiresAt=" + expiresAt
                    + ", description=" + description + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private OrgId orgId;
            private Long amountCents;
            private Long amountMicros;
            private Instant expiresAt;
            private String description;
            private String idempotencyKey;

            private Builder() {
            }

            /**
             * Sets the org; required.
             *
             * @param orgId the value
             * @return this builder
             */
            public Builder orgId(OrgId orgId) {
                this.orgId = orgId;
                return this;
            }

            /**
             * Sets the credit in cents; give this or {@code amountMicros}.
             *
             * @param amountCents the value
             * @return this builder
             */
            public Builder amountCents(long amountCents) {
                this.amountCents = amountCents;
                return this;
            }

            /**
             * Sets the credit in micros; give this or {@code amountCents}.
             *
             * @param amountMicros the value
             * @return this builder
             */
            public Builder amountMicros(long amountMicros) {
                this.amountMicros = amountMicros;
                return this;
            }

            /**
             * Sets when the unconsumed remainder expires; null = never.
             *
             * @param expiresAt the value
             * @return this builder
             */
            public Builder expiresAt(Instant expiresAt) {
                this.expiresAt = expiresAt;
                return this;
            }

            /**
             * Sets the entry's description; null = {@code "promotional credit"}.
             *
             * @param description the value
             * @return this builder
             */
            public Builder description(String description) {
                this.description = description;
                return this;
            }

            /**
             * Sets the caller's key; required.
             *
             * @param idempotencyKey the value
             * @return this builder
             */
            public Builder idempotencyKey(String idempotencyKey) {
                this.idempotencyKey = idempotencyKey;
                return this;
            }

            /**
             * Sets the amount as credit (named {@code amountMicros} in a refusal).
             *
             * @param amount the amount
             * @return this builder
             */
            public Builder amount(Credits amount) {
                this.amountMicros = amount == null ? null : amount.micros();
                return this;
            }

            /**
             * The command.
             *
             * @return a command with the fields set so far
             * @throws BillingException {@code BAD_REQUEST} naming the field at fault
             */
            public Command build() {
                return new Command(this);
            }
        }
    }

    /**
     * Grants the credit (once per idempotency key).
     *
     * @param command the grant
     * @return the entry written, or the original one for a replay
     * @throws BillingException {@code BAD_REQUEST} naming {@code expiresAt} when a new grant would expire in the
     *                          past; {@code NOT_FOUND} when the org does not exist; {@code IDEMPOTENCY_CONFLICT} for
     *                          a key used with another grant; {@code UNPROCESSABLE} for an amount the org's ledger
     *                          cannot take
     */
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
