package io.agentbilling.core.usecase;

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
import io.agentbilling.core.usage.UsageWindow;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Settles the storage a workspace held over {@code [from, to)}, measured in byte-seconds, at the per-GiB-month price
 * in force at {@code from}. The usage counts on the UTC day of {@code from}. Thread-safe.
 */
public final class SettleStorageUsage {
    static final String RESOURCE = "storage";

    private final SettlementPricer pricer;
    private final Settler settler;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param pricer prices settlement commands
     * @param settler where settlements go
     */
    public SettleStorageUsage(SettlementPricer pricer, Settler settler) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /** Storage a workspace held over {@code [from, to)} to settle. Plain data, checked when it is settled. */
    public static final class Command implements SettlementCommand {
        private final OrgId orgId;
        private final String workspaceId;
        private final MemberId memberId;
        private final long byteSeconds;
        private final Instant from;
        private final Instant to;
        private final String idempotencyKey;
        private final HoldId holdId;
        private final ApiKeyId apiKeyId;

        private Command(Builder b) {
            this.orgId = b.orgId;
            this.workspaceId = b.workspaceId;
            this.memberId = b.memberId;
            this.byteSeconds = b.byteSeconds;
            this.from = b.from;
            this.to = b.to;
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
         * The workspace; required.
         *
         * @return the workspaceId
         */
        public String workspaceId() {
            return workspaceId;
        }

        /**
         * The member the storage belongs to; optional: storage may belong to the org.
         *
         * @return the memberId
         */
        public MemberId memberId() {
            return memberId;
        }

        /**
         * Bytes held times seconds held, 0 or more.
         *
         * @return the byteSeconds
         */
        public long byteSeconds() {
            return byteSeconds;
        }

        /**
         * The start of the interval; within the usage window and not before the org was created (422 otherwise).
         *
         * @return the from
         */
        public Instant from() {
            return from;
        }

        /**
         * The end of the interval, after {@code from} and not ahead of the clock (422).
         *
         * @return the to
         */
        public Instant to() {
            return to;
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
            return "SettleStorageUsage.Command[" + "orgId=" + orgId + ", workspaceId=" + workspaceId
                    + ", memberId=" + memberId + ", byteSeconds=" + byteSeconds + ", from=" + from
                    + ", to=" + to + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private OrgId orgId;
            private String workspaceId;
            private MemberId memberId;
            private long byteSeconds;
            private Instant from;
            private Instant to;
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
             * Sets the workspace; required.
             *
             * @param workspaceId the value
             * @return this builder
             */
            public Builder workspaceId(String workspaceId) {
                this.workspaceId = workspaceId;
                return this;
            }

            /**
             * Sets the member the storage belongs to; optional: storage may belong to the org.
             *
             * @param memberId the value
             * @return this builder
             */
            public Builder memberId(MemberId memberId) {
                this.memberId = memberId;
                return this;
            }

            /**
             * Sets bytes held times seconds held, 0 or more.
             *
             * @param byteSeconds the value
             * @return this builder
             */
            public Builder byteSeconds(long byteSeconds) {
                this.byteSeconds = byteSeconds;
                return this;
            }

            /**
             * Sets the start of the interval; within the usage window and not before the org was created (422
             * otherwise).
             *
             * @param from the value
             * @return this builder
             */
            public Builder from(Instant from) {
                this.from = from;
                return this;
            }

            /**
             * Sets the end of the interval, after {@code from} and not ahead of the clock (422).
             *
             * @param to the value
             * @return this builder
             */
            public Builder to(Instant to) {
                this.to = to;
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
     * Settles the interval (once per idempotency key).
     *
     * @param command the workspace and the interval
     * @return what was charged and the balance after it; {@code replayed} for a replay
     * @throws BillingException {@code BAD_REQUEST} naming the field at fault; {@code NOT_FOUND} when the org does not
     *                          exist; {@code UNPROCESSABLE} for a member who is not one of the org's, a {@code from}
     *                          outside the usage window, a {@code to} ahead of the clock, or an amount the org's
     *                          ledger cannot take; {@code IDEMPOTENCY_CONFLICT} for a key used with another payload;
     *                          {@code UNAVAILABLE} when the settlement did not complete in time or the queue is full
     *                          (retry with the same key)
     */
    public SettlementResult execute(Command command) {
        return SettlementResult.of(settler.settle(pricer.request(command)));
    }

    static PostingEngine.Request request(Command c, PriceBook prices, Instant now, UsageWindow window) {
        Checks.required("orgId", c.orgId());
        Checks.name("workspaceId", c.workspaceId(), Checks.MAX_NAME_LENGTH);
        Checks.nonNegative("byteSeconds", c.byteSeconds());
        Checks.required("from", c.from());
        Checks.required("to", c.to());
        if (!c.from().isBefore(c.to())) {
            throw BillingException.invalid("to", "must be after from");
        }
        UsageWindow.notInFuture("to", c.to(), now);
        window.usageAt("from", c.from(), now);
        Checks.idempotencyKey(c.idempotencyKey());

        Credits charge = prices.inForceAt(c.from()).chargeForStorage(c.byteSeconds());
        String fingerprint = Fingerprint.of("storage", c.workspaceId(), c.memberId(), c.byteSeconds(), c.from(),
                c.to());
        fingerprint = SpendAttributions.fingerprint(fingerprint, c.holdId(), c.apiKeyId());
        String description = "workspace storage " + c.from() + " to " + c.to();
        Posting posting = Posting.usage(c.orgId(), c.memberId(), charge,
                EntryText.charge(RESOURCE, description).withReference(c.workspaceId()), c.idempotencyKey(), fingerprint);
        UsageAmounts usage = UsageAmounts.storage(c.memberId(), c.workspaceId(), c.byteSeconds(), charge);
        return new PostingEngine.Request(posting, List.of(usage), c.from(), "from")
                .withSpend(SpendAttributions.of(c.holdId(), c.apiKeyId()));
    }
}
