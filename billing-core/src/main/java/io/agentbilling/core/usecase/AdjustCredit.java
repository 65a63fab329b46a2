package io.agentbilling.core.usecase;

import io.agentbilling.core.money.CreditAmounts;
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

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param engine the posting engine
     */
    public AdjustCredit(Transactions transactions, PostingEngine engine) {
        this.transactions = Objects.requireNonNull(transactions);
        this.engine = Objects.requireNonNull(engine);
    }

    /**
     * A signed correction: an amount ({@code amountCents}, {@code amountMicros} or {@link Builder#amount}) other than
     * 0, at most one billion dollars either way, and the reason. Checked when built.
     */
    public static final class Command {
        private final OrgId orgId;
        private final Credits amount;
        private final String reason;
        private final String idempotencyKey;

        private Command(Builder b) {
            Objects.requireNonNull(b.orgId, "orgId");
            this.amount = CreditAmounts.required("amount", b.amountCents, b.amountMicros, CreditAmounts.Sign.NON_ZERO);
            this.orgId = b.orgId;
            this.reason = b.reason;
            this.idempotencyKey = b.idempotencyKey;
            if (reason == null || reason.isBlank()) {
                throw BillingException.invalid("reason", "is required");
            }
            Commands.requireOptionalText("reason", reason, MAX_REASON_LENGTH);
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
         * The correction: positive adds credit, negative removes it.
         *
         * @return the amount
         */
        public Credits amount() {
            return amount;
        }

        /**
         * Why; the entry's description; required, 1 to {@value AdjustCredit#MAX_REASON_LENGTH} characters.
         *
         * @return the reason
         */
        public String reason() {
            return reason;
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
            return "AdjustCredit.Command[" + "orgId=" + orgId + ", amount=" + amount + ", reason=" + reason
                    + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private OrgId orgId;
            private Long amountCents;
            private Long amountMicros;
            private String reason;
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
             * Sets the correction in cents; give this or {@code amountMicros}.
             *
             * @param amountCents the value
             * @return this builder
             */
            public Builder amountCents(long amountCents) {
                this.amountCents = amountCents;
                return this;
            }

            /**
             * Sets the correction in micros; give this or {@code amountCents}.
             *
             * @param amountMicros the value
             * @return this builder
             */
            public Builder amountMicros(long amountMicros) {
                this.amountMicros = amountMicros;
                return this;
            }

            /**
             * Sets why; required.
             *
             * @param reason the value
             * @return this builder
             */
            public Builder reason(String reason) {
                this.reason = reason;
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
     * Writes the correction (once per idempotency key).
     *
     * @param command the correction
     * @return the entry written, or the original one for a replay
     * @throws BillingException {@code NOT_FOUND} when the org does not exist; {@code IDEMPOTENCY_CONFLICT} for a key
     *                          used with another correction; {@code UNPROCESSABLE} for an amount the org's ledger
     *                          cannot take
     */
    public PostedEntry execute(Command command) {
        String fingerprint = Fingerprint.of("adjustment", command.amount().micros(), command.reason());
        Posting posting = Posting.entry(command.orgId(), EntryType.ADJUSTMENT, command.amount(),
                EntryText.described(command.reason()), command.idempotencyKey(), fingerprint);
        return transactions.inTransaction(stores -> PostedEntry.from(stores,
                engine.post(stores, List.of(PostingEngine.Request.of(posting))).get(0), command.orgId()));
    }
}
