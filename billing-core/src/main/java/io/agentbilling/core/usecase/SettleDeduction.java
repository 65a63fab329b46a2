package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.CreditAmounts;
import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.settlement.internal.Settler;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A generic debit of an amount the caller computed (API.md Part B {@code deductions}), recorded as usage of
 * {@code resource} (kind RESOURCE, no unit). Thread-safe.
 */
public final class SettleDeduction {
    private final SettlementPricer pricer;
    private final Settler settler;
    private final Transactions transactions;

    /**
     * @param transactions reads back the entry for {@link #executeAndRead}
     * @param pricer prices settlement commands
     * @param settler where settlements go
     */
    public SettleDeduction(SettlementPricer pricer, Settler settler, Transactions transactions) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /**
     * A debit of an amount the caller computed, named in cents or in micros (exactly one), 1 micro to one billion
     * dollars. Plain data, checked when it is settled.
     */
    public static final class Command implements SettlementCommand {
        private final OrgId orgId;
        private final MemberId memberId;
        private final Long amountCents;
        private final Long amountMicros;
        private final String resource;
        private final String description;
        private final String referenceId;
        private final String idempotencyKey;
        private final HoldId holdId;
        private final ApiKeyId apiKeyId;

        private Command(Builder b) {
            this.orgId = b.orgId;
            this.memberId = b.memberId;
            this.amountCents = b.amountCents;
            this.amountMicros = b.amountMicros;
            this.resource = b.resource;
            this.description = b.description;
            this.referenceId = b.referenceId;
            this.idempotencyKey = b.idempotencyKey;
            this.holdId = b.holdId;
            this.apiKeyId = b.apiKeyId;
        }

        /**
         * A builder with every field unset (null, 0 or false); set fields by name, then build().
         */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * The org whose credit pays; required.
         *
         * @return the orgId
         */
        public OrgId orgId() {
            return orgId;
        }

        /**
         * The member whose usage it was; optional.
         *
         * @return the memberId
         */
        public MemberId memberId() {
            return memberId;
        }

        /**
         * The amount in whole cents; give this or {@code amountMicros}.
         *
         * @return the amountCents
         */
        public Long amountCents() {
            return amountCents;
        }

        /**
         * The amount in micros; give this or {@code amountCents}.
         *
         * @return the amountMicros
         */
        public Long amountMicros() {
            return amountMicros;
        }

        /**
         * What the amount was for; required.
         *
         * @return the resource
         */
        public String resource() {
            return resource;
        }

        /**
         * The entry's description; null = the resource.
         *
         * @return the description
         */
        public String description() {
            return description;
        }

        /**
         * The caller's reference; optional.
         *
         * @return the referenceId
         */
        public String referenceId() {
            return referenceId;
        }

        /**
         * The caller's key; required.
         *
         * @return the idempotencyKey
         */
        public String idempotencyKey() {
            return idempotencyKey;
        }

        /**
         * The hold this settlement captures: the actual charge is recorded against it and the rest released (a
         * sandbox's interim settlement captures in parts); optional.
         *
         * @return the holdId
         */
        public HoldId holdId() {
            return holdId;
        }

        /**
         * The API key the spend goes through, for its cap (a captured hold's key is used when this is null);
         * optional.
         *
         * @return the apiKeyId
         */
        public ApiKeyId apiKeyId() {
            return apiKeyId;
        }

        @Override
        public String toString() {
            return "SettleDeduction.Command[" + "orgId=" + orgId + ", memberId=" + memberId
                    + ", amountCents=" + amountCents + ", amountMicros=" + amountMicros
                    + ", resource=" + resource + ", description=" + description + ", referenceId=" + referenceId
                    + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private OrgId orgId;
            private MemberId memberId;
            private Long amountCents;
            private Long amountMicros;
            private String resource;
            private String description;
            private String referenceId;
            private String idempotencyKey;
            private HoldId holdId;
            private ApiKeyId apiKeyId;

            private Builder() {
            }

            /**
             * Sets the org whose credit pays; required.
             *
             * @param orgId the value
             * @return this builder
             */
            public Builder orgId(OrgId orgId) {
                this.orgId = orgId;
                return this;
            }

            /**
             * Sets the member whose usage it was; optional.
             *
             * @param memberId the value
             * @return this builder
             */
            public Builder memberId(MemberId memberId) {
                this.memberId = memberId;
                return this;
            }

            /**
             * Sets the amount in whole cents; give this or {@code amountMicros}.
             *
             * @param amountCents the value
             * @return this builder
             */
            public Builder amountCents(long amountCents) {
                this.amountCents = amountCents;
                return this;
            }

            /**
             * Sets the amount in micros; give this or {@code amountCents}.
             *
             * @param amountMicros the value
             * @return this builder
             */
            public Builder amountMicros(long amountMicros) {
                this.amountMicros = amountMicros;
                return this;
            }

            /**
             * Sets what the amount was for; required.
             *
             * @param resource the value
             * @return this builder
             */
            public Builder resource(String resource) {
                this.resource = resource;
                return this;
            }

            /**
             * Sets the entry's description; null = the resource.
             *
             * @param description the value
             * @return this builder
             */
            public Builder description(String description) {
                this.description = description;
                return this;
            }

            /**
             * Sets the caller's reference; optional.
             *
             * @param referenceId the value
             * @return this builder
             */
            public Builder referenceId(String referenceId) {
                this.referenceId = referenceId;
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
             * Sets the hold this settlement captures; optional.
             *
             * @param holdId the value
             * @return this builder
             */
            public Builder holdId(HoldId holdId) {
                this.holdId = holdId;
                return this;
            }

            /**
             * Sets the API key the spend goes through; optional.
             *
             * @param apiKeyId the value
             * @return this builder
             */
            public Builder apiKeyId(ApiKeyId apiKeyId) {
                this.apiKeyId = apiKeyId;
                return this;
            }

            /**
             * The command.
             *
             * @return a command with the fields set so far
             */
            public Command build() {
                return new Command(this);
            }
        }
    }

    /** A settled deduction and the ledger entry it wrote (for a replay: the original entry). */
    public record Recorded(SettlementResult settlement, LedgerEntry entry) {
        public Recorded {
            Objects.requireNonNull(settlement, "settlement");
            Objects.requireNonNull(entry, "entry");
        }
    }

    /**
     * Settles the deduction (once per idempotency key).
     *
     * @param command the deduction
     * @return what was charged and the balance after it; {@code replayed} for a replay
     * @throws BillingException {@code BAD_REQUEST} naming the field at fault; {@code NOT_FOUND} when the org does not
     *                          exist; {@code UNPROCESSABLE} for a member who is not one of the org's or an amount the
     *                          org's ledger cannot take; {@code IDEMPOTENCY_CONFLICT} for a key used with another
     *                          payload; {@code UNAVAILABLE} when the settlement did not complete in time or the queue
     *                          is full (retry with the same key)
     */
    public SettlementResult execute(Command command) {
        return SettlementResult.of(settler.settle(pricer.request(command)));
    }

    /**
     * Settles like {@link #execute} and reads back the entry, for callers that answer with it (the API returns a
     * deduction as its ledger entry). The read is a separate, committed read: the settlement may have gone through
     * the group-commit queue.
     *
     * @param command the deduction
     * @return the settlement and its ledger entry (for a replay, the original ones)
     * @throws BillingException as {@link #execute} does
     */
    public Recorded executeAndRead(Command command) {
        SettlementResult settlement = execute(command);
        LedgerEntry entry = transactions.readOne(stores -> stores.ledger().findEntryByKey(command.orgId(),
                        command.idempotencyKey()))
                .orElseThrow(() -> new IllegalStateException("the entry of a settled deduction is missing"));
        return new Recorded(settlement, entry);
    }

    static PostingEngine.Request request(Command c, Instant now) {
        Checks.required("orgId", c.orgId());
        Credits charge = CreditAmounts.required("amount", c.amountCents(), c.amountMicros(),
                CreditAmounts.Sign.POSITIVE);
        Checks.name("resource", c.resource(), Checks.MAX_NAME_LENGTH);
        Checks.description(c.description());
        Checks.referenceId(c.referenceId());
        Checks.idempotencyKey(c.idempotencyKey());

        String description = c.description() != null && !c.description().isBlank() ? c.description() : c.resource();
        String fingerprint = Fingerprint.of("deduction", c.memberId(), charge.micros(), c.resource(),
                Checks.canonical(description, c.resource()), Checks.canonical(c.referenceId()));
        fingerprint = SpendAttributions.fingerprint(fingerprint, c.holdId(), c.apiKeyId());
        Posting posting = Posting.usage(c.orgId(), c.memberId(), charge,
                EntryText.charge(c.resource(), description).withReference(c.referenceId()), c.idempotencyKey(),
                fingerprint);
        UsageAmounts usage = UsageAmounts.resource(c.memberId(), c.resource(), "", 0, charge);
        return new PostingEngine.Request(posting, List.of(usage), now)
                .withSpend(SpendAttributions.of(c.holdId(), c.apiKeyId()));
    }
}
