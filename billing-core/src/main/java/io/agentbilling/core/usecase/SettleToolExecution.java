package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.settlement.internal.Settler;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.spend.HoldId;
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

/** Settles tool executions at the tool's price (its own, else the catalog's default tool price). Thread-safe. */
public final class SettleToolExecution {
    static final String RESOURCE = "tool";

    private final SettlementPricer pricer;
    private final Settler settler;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param pricer prices settlement commands
     * @param settler where settlements go
     */
    public SettleToolExecution(SettlementPricer pricer, Settler settler) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /** Executions of a tool to settle. Plain data, checked when it is settled. */
    public static final class Command implements SettlementCommand {
        private final OrgId orgId;
        private final MemberId memberId;
        private final String tool;
        private final long count;
        private final String referenceId;
        private final String idempotencyKey;
        private final HoldId holdId;
        private final ApiKeyId apiKeyId;

        private Command(Builder b) {
            this.orgId = b.orgId;
            this.memberId = b.memberId;
            this.tool = b.tool;
            this.count = b.count;
            this.referenceId = b.referenceId;
            this.idempotencyKey = b.idempotencyKey;
            this.holdId = b.holdId;
            this.apiKeyId = b.apiKeyId;
        }

        /**
         * A builder for one execution (count 1) with every other field unset; set fields by name, then build().
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
         * The member who ran the tool; required, a member of the org.
         *
         * @return the memberId
         */
        public MemberId memberId() {
            return memberId;
        }

        /**
         * The tool's name; required.
         *
         * @return the tool
         */
        public String tool() {
            return tool;
        }

        /**
         * Executions, 1 to 10^9 (the builder starts at 1).
         *
         * @return the count
         */
        public long count() {
            return count;
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
            return "SettleToolExecution.Command[" + "orgId=" + orgId + ", memberId=" + memberId
                    + ", tool=" + tool + ", count=" + count + ", referenceId=" + referenceId
                    + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private OrgId orgId;
            private MemberId memberId;
            private String tool;
            private long count = 1;
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
             * Sets the member who ran the tool; required, a member of the org.
             *
             * @param memberId the value
             * @return this builder
             */
            public Builder memberId(MemberId memberId) {
                this.memberId = memberId;
                return this;
            }

            /**
             * Sets the tool's name; required.
             *
             * @param tool the value
             * @return this builder
             */
            public Builder tool(String tool) {
                this.tool = tool;
                return this;
            }

            /**
             * Sets executions, 1 to 10^9 (default 1).
             *
             * @param count the value
             * @return this builder
             */
            public Builder count(long count) {
                this.count = count;
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
     * Settles the executions (once per idempotency key).
     *
     * @param command the tool and the count
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

    static PostingEngine.Request request(Command c, PriceBook prices, Instant now) {
        Checks.required("orgId", c.orgId());
        Checks.required("memberId", c.memberId());
        Checks.name("tool", c.tool(), Checks.MAX_NAME_LENGTH);
        Checks.positive("count", c.count());
        Checks.atMost("count", c.count(), Checks.MAX_EXECUTIONS);
        Checks.referenceId(c.referenceId());
        Checks.idempotencyKey(c.idempotencyKey());

        Credits charge = prices.inForceAt(now).chargeForTool(c.tool(), c.count());
        String fingerprint = Fingerprint.of("tool", c.memberId(), c.tool(), c.count(), Checks.canonical(c.referenceId()));
        fingerprint = SpendAttributions.fingerprint(fingerprint, c.holdId(), c.apiKeyId());
        String description = "tool: " + c.tool() + (c.count() == 1 ? "" : " x" + c.count());
        Posting posting = Posting.usage(c.orgId(), c.memberId(), charge,
                EntryText.charge(RESOURCE, description).withReference(c.referenceId()), c.idempotencyKey(), fingerprint);
        UsageAmounts usage = UsageAmounts.tool(c.memberId(), c.tool(), c.count(), charge);
        return new PostingEngine.Request(posting, List.of(usage), now)
                .withSpend(SpendAttributions.of(c.holdId(), c.apiKeyId()));
    }
}
