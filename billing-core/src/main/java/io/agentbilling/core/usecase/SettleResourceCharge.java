package io.agentbilling.core.usecase;

import io.agentbilling.core.money.CreditAmounts;
import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.settlement.internal.Settler;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.spend.HoldId;
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

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param pricer prices settlement commands
     * @param settler where settlements go
     */
    public SettleResourceCharge(SettlementPricer pricer, Settler settler) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /**
     * A resource-level charge to settle: {@code quantity} of {@code resource} in {@code unit}, priced by the catalog
     * unless the caller names the amount ({@code amountCents} or {@code amountMicros}, 0 to one billion dollars).
     * Plain data, checked when it is settled.
     */
    public static final class Command implements SettlementCommand {
        private final OrgId orgId;
        private final MemberId memberId;
        private final String resource;
        private final long quantity;
        private final String unit;
        private final Long amountCents;
        private final Long amountMicros;
        private final String description;
        private final String referenceId;
        private final String idempotencyKey;
        private final HoldId holdId;
        private final ApiKeyId apiKeyId;

        private Command(Builder b) {
            this.orgId = b.orgId;
            this.memberId = b.memberId;
            this.resource = b.resource;
            this.quantity = b.quantity;
            this.unit = b.unit;
            this.amountCents = b.amountCents;
            this.amountMicros = b.amountMicros;
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
         * What was used, e.g. {@code code_exec}; required.
         *
         * @return the resource
         */
        public String resource() {
            return resource;
        }

        /**
         * Whole units of {@code unit}, 0 to 10^15 (0 only with an amount).
         *
         * @return the quantity
         */
        public long quantity() {
            return quantity;
        }

        /**
         * The unit, e.g. {@code seconds}: the catalog's unit of the resource unless an amount is named; required.
         *
         * @return the unit
         */
        public String unit() {
            return unit;
        }

        /**
         * The charge in cents when the caller prices it; null = priced by the catalog.
         *
         * @return the amountCents
         */
        public Long amountCents() {
            return amountCents;
        }

        /**
         * The charge in micros when the caller prices it; null = priced by the catalog.
         *
         * @return the amountMicros
         */
        public Long amountMicros() {
            return amountMicros;
        }

        /**
         * The entry's description; null = {@code "<resource>: <quantity> <unit>"}.
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
            return "SettleResourceCharge.Command[" + "orgId=" + orgId + ", memberId=" + memberId
                    + ", resource=" + resource + ", quantity=" + quantity + ", unit=" + unit
                    + ", amountCents=" + amountCents + ", amountMicros=" + amountMicros
                    + ", description=" + description + ", referenceId=" + referenceId
                    + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private OrgId orgId;
            private MemberId memberId;
            private String resource;
            private long quantity;
            private String unit;
            private Long amountCents;
            private Long amountMicros;
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
             * Sets what was used, e.g. {@code code_exec}; required.
             *
             * @param resource the value
             * @return this builder
             */
            public Builder resource(String resource) {
                this.resource = resource;
                return this;
            }

            /**
             * Sets whole units of {@code unit}, 0 to 10^15 (0 only with an amount).
             *
             * @param quantity the value
             * @return this builder
             */
            public Builder quantity(long quantity) {
                this.quantity = quantity;
                return this;
            }

            /**
             * Sets the unit, e.g. {@code seconds}: the catalog's unit of the resource unless an amount is named;
             * required.
             *
             * @param unit the value
             * @return this builder
             */
            public Builder unit(String unit) {
                this.unit = unit;
                return this;
            }

            /**
             * Sets the charge in cents when the caller prices it; null = priced by the catalog.
             *
             * @param amountCents the value
             * @return this builder
             */
            public Builder amountCents(long amountCents) {
                this.amountCents = amountCents;
                return this;
            }

            /**
             * Sets the charge in micros when the caller prices it; null = priced by the catalog.
             *
             * @param amountMicros the value
             * @return this builder
             */
            public Builder amountMicros(long amountMicros) {
                this.amountMicros = amountMicros;
                return this;
            }

            /**
             * Sets the entry's description; null = {@code "<resource>: <quantity> <unit>"}.
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

    /**
     * Settles the charge (once per idempotency key).
     *
     * @param command the charge
     * @return what was charged and the balance after it; {@code replayed} for a replay
     * @throws BillingException {@code BAD_REQUEST} naming the field at fault; {@code NOT_FOUND} when the org does not
     *                          exist; {@code UNPROCESSABLE} for a member who is not one of the org's, a resource or
     *                          unit the catalog does not price (without an amount), or an amount the org's ledger
     *                          cannot take; {@code IDEMPOTENCY_CONFLICT} for a key used with another payload; {@code
     *                          UNAVAILABLE} when the settlement did not complete in time or the queue is full (retry
     *                          with the same key)
     */
    public SettlementResult execute(Command command) {
        return SettlementResult.of(settler.settle(pricer.request(command)));
    }

    static PostingEngine.Request request(Command c, PriceBook prices, Instant now) {
        Checks.required("orgId", c.orgId());
        Checks.name("resource", c.resource(), Checks.MAX_NAME_LENGTH);
        Checks.nonNegative("quantity", c.quantity());
        Checks.atMost("quantity", c.quantity(), Checks.MAX_QUANTITY);
        Checks.name("unit", c.unit(), Checks.MAX_UNIT_LENGTH);
        Credits named = CreditAmounts.optional("amount", c.amountCents(), c.amountMicros(),
                CreditAmounts.Sign.NON_NEGATIVE);
        if (c.quantity() == 0 && (named == null || named.isZero())) {
            throw BillingException.invalid("quantity", "must be > 0 unless an amount is given");
        }
        Checks.description(c.description());
        Checks.referenceId(c.referenceId());
        Checks.idempotencyKey(c.idempotencyKey());

        Credits charge = named != null ? named
                : prices.inForceAt(now).chargeForResource(c.resource(), c.quantity(), c.unit());
        String defaultDescription = c.resource() + ": " + c.quantity() + " " + c.unit();
        String description = c.description() != null && !c.description().isBlank() ? c.description() : defaultDescription;
        String fingerprint = Fingerprint.of("resource", c.memberId(), c.resource(), c.quantity(), c.unit(),
                named == null ? null : named.micros(), Checks.canonical(description, defaultDescription), Checks.canonical(c.referenceId()));
        fingerprint = SpendAttributions.fingerprint(fingerprint, c.holdId(), c.apiKeyId());
        Posting posting = Posting.usage(c.orgId(), c.memberId(), charge,
                EntryText.charge(c.resource(), description).withReference(c.referenceId()), c.idempotencyKey(),
                fingerprint);
        UsageAmounts usage = UsageAmounts.resource(c.memberId(), c.resource(), c.unit(), c.quantity(), charge);
        return new PostingEngine.Request(posting, List.of(usage), now)
                .withSpend(SpendAttributions.of(c.holdId(), c.apiKeyId()));
    }
}
