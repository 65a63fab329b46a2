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
 * Settles one model call (API.md Part B {@code model-usage}): charges the Platform price of its tokens in force when
 * it happened, or nothing for a BYOK call (still recorded as usage). An unknown Platform model is
 * {@code unknown_model} unless the catalog has a default price. Thread-safe.
 */
public final class SettleModelUsage {
    static final String RESOURCE = "model";

    private final SettlementPricer pricer;
    private final Settler settler;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param pricer prices settlement commands
     * @param settler where settlements go
     */
    public SettleModelUsage(SettlementPricer pricer, Settler settler) {
        this.pricer = Objects.requireNonNull(pricer, "pricer");
        this.settler = Objects.requireNonNull(settler, "settler");
    }

    /**
     * One model call to settle. Plain data, checked when it is settled (so that a batch can refuse one event on its
     * own): build it by name, e.g.
     * {@code Command.builder().orgId(org).memberId(member).model("gpt-5").inputTokens(1_200).outputTokens(300)
     * .idempotencyKey("req-1").build()}.
     */
    public static final class Command implements SettlementCommand {
        private final OrgId orgId;
        private final MemberId memberId;
        private final String model;
        private final long inputTokens;
        private final long outputTokens;
        private final long cachedInputTokens;
        private final boolean byok;
        private final String referenceId;
        private final Instant occurredAt;
        private final String idempotencyKey;
        private final HoldId holdId;
        private final ApiKeyId apiKeyId;

        private Command(Builder b) {
            this.orgId = b.orgId;
            this.memberId = b.memberId;
            this.model = b.model;
            this.inputTokens = b.inputTokens;
            this.outputTokens = b.outputTokens;
            this.cachedInputTokens = b.cachedInputTokens;
            this.byok = b.byok;
            this.referenceId = b.referenceId;
            this.occurredAt = b.occurredAt;
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
         * The member who made the call; required, a member of the org.
         *
         * @return the memberId
         */
        public MemberId memberId() {
            return memberId;
        }

        /**
         * The model id, as the catalog names it; required.
         *
         * @return the model
         */
        public String model() {
            return model;
        }

        /**
         * Uncached input tokens, 0 to 10^12.
         *
         * @return the inputTokens
         */
        public long inputTokens() {
            return inputTokens;
        }

        /**
         * Output tokens, 0 to 10^12.
         *
         * @return the outputTokens
         */
        public long outputTokens() {
            return outputTokens;
        }

        /**
         * Input tokens served from the prompt cache (priced separately), 0 to 10^12; a call has at least one token.
         *
         * @return the cachedInputTokens
         */
        public long cachedInputTokens() {
            return cachedInputTokens;
        }

        /**
         * Whether the call used the caller's own provider key: recorded as usage, charged nothing.
         *
         * @return the byok
         */
        public boolean byok() {
            return byok;
        }

        /**
         * The caller's request id; optional.
         *
         * @return the referenceId
         */
        public String referenceId() {
            return referenceId;
        }

        /**
         * When the call happened; null = now; within the usage window and not before the org was created (422
         * otherwise).
         *
         * @return the occurredAt
         */
        public Instant occurredAt() {
            return occurredAt;
        }

        /**
         * The caller's key: the call is charged once however often it is sent; required.
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
            return "SettleModelUsage.Command[" + "orgId=" + orgId + ", memberId=" + memberId
                    + ", model=" + model + ", inputTokens=" + inputTokens + ", outputTokens=" + outputTokens
                    + ", cachedInputTokens=" + cachedInputTokens + ", byok=" + byok
                    + ", referenceId=" + referenceId + ", occurredAt=" + occurredAt
                    + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private OrgId orgId;
            private MemberId memberId;
            private String model;
            private long inputTokens;
            private long outputTokens;
            private long cachedInputTokens;
            private boolean byok;
            private String referenceId;
            private Instant occurredAt;
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
             * Sets the member who made the call; required, a member of the org.
             *
             * @param memberId the value
             * @return this builder
             */
            public Builder memberId(MemberId memberId) {
                this.memberId = memberId;
                return this;
            }

            /**
             * Sets the model id, as the catalog names it; required.
             *
             * @param model the value
             * @return this builder
             */
            public Builder model(String model) {
                this.model = model;
                return this;
            }

            /**
             * Sets uncached input tokens, 0 to 10^12.
             *
             * @param inputTokens the value
             * @return this builder
             */
            public Builder inputTokens(long inputTokens) {
                this.inputTokens = inputTokens;
                return this;
            }

            /**
             * Sets output tokens, 0 to 10^12.
             *
             * @param outputTokens the value
             * @return this builder
             */
            public Builder outputTokens(long outputTokens) {
                this.outputTokens = outputTokens;
                return this;
            }

            /**
             * Sets input tokens served from the prompt cache (priced separately), 0 to 10^12; a call has at least one
             * token.
             *
             * @param cachedInputTokens the value
             * @return this builder
             */
            public Builder cachedInputTokens(long cachedInputTokens) {
                this.cachedInputTokens = cachedInputTokens;
                return this;
            }

            /**
             * Sets whether the call used the caller's own provider key: recorded as usage, charged nothing.
             *
             * @param byok the value
             * @return this builder
             */
            public Builder byok(boolean byok) {
                this.byok = byok;
                return this;
            }

            /**
             * Sets the caller's request id; optional.
             *
             * @param referenceId the value
             * @return this builder
             */
            public Builder referenceId(String referenceId) {
                this.referenceId = referenceId;
                return this;
            }

            /**
             * Sets when the call happened; null = now; within the usage window and not before the org was created (422
             * otherwise).
             *
             * @param occurredAt the value
             * @return this builder
             */
            public Builder occurredAt(Instant occurredAt) {
                this.occurredAt = occurredAt;
                return this;
            }

            /**
             * Sets the caller's key: the call is charged once however often it is sent; required.
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
     * Settles the call (once per idempotency key).
     *
     * @param command the call
     * @return what was charged and the balance after it; {@code replayed} for a replay
     * @throws BillingException {@code BAD_REQUEST} naming the field at fault; {@code NOT_FOUND} when the org does not
     *                          exist; {@code UNPROCESSABLE} for a member who is not one of the org's, a time of usage
     *                          outside the usage window (naming {@code occurredAt}), a charge past one billion
     *                          dollars, or an amount the org's ledger cannot take; {@code IDEMPOTENCY_CONFLICT} for a
     *                          key used with another payload; {@code UNAVAILABLE} when the settlement did not
     *                          complete in time or the queue is full (retry with the same key); {@code UNKNOWN_MODEL}
     *                          for a Platform model the catalog does not price
     */
    public SettlementResult execute(Command command) {
        return SettlementResult.of(settler.settle(pricer.request(command)));
    }

    static PostingEngine.Request request(Command c, PriceBook prices, Instant now, UsageWindow window) {
        Checks.required("orgId", c.orgId());
        Checks.required("memberId", c.memberId());
        Checks.name("model", c.model(), Checks.MAX_NAME_LENGTH);
        Checks.nonNegative("inputTokens", c.inputTokens());
        Checks.nonNegative("outputTokens", c.outputTokens());
        Checks.nonNegative("cachedInputTokens", c.cachedInputTokens());
        Checks.atMost("inputTokens", c.inputTokens(), Checks.MAX_TOKENS);
        Checks.atMost("outputTokens", c.outputTokens(), Checks.MAX_TOKENS);
        Checks.atMost("cachedInputTokens", c.cachedInputTokens(), Checks.MAX_TOKENS);
        if (c.inputTokens() == 0 && c.outputTokens() == 0 && c.cachedInputTokens() == 0) {
            throw BillingException.invalid("inputTokens", "a model call needs at least one token");
        }
        Checks.referenceId(c.referenceId());
        Checks.idempotencyKey(c.idempotencyKey());
        Instant at = c.occurredAt() == null ? now : window.usageAt("occurredAt", c.occurredAt(), now);

        Credits charge = prices.inForceAt(at).chargeForModel(c.model(), c.byok(), c.inputTokens(),
                c.outputTokens(), c.cachedInputTokens());
        String fingerprint = Fingerprint.of("model", c.memberId(), c.model(), c.inputTokens(), c.outputTokens(),
                c.cachedInputTokens(), c.byok(), Checks.canonical(c.referenceId()), c.occurredAt());
        fingerprint = SpendAttributions.fingerprint(fingerprint, c.holdId(), c.apiKeyId());
        String description = (c.byok() ? "model usage (BYOK): " : "model usage: ") + c.model();
        Posting posting = Posting.usage(c.orgId(), c.memberId(), charge,
                EntryText.charge(RESOURCE, description).withReference(c.referenceId()), c.idempotencyKey(), fingerprint);
        UsageAmounts usage = UsageAmounts.model(c.memberId(), c.model(), c.byok(), c.inputTokens(), c.outputTokens(),
                c.cachedInputTokens(), charge);
        // A BYOK call costs nothing, but may count toward budgets and caps at what it would have cost.
        Credits byokListPrice = c.byok() ? SpendAttributions.byokListPrice(prices.inForceAt(at), c.model(),
                c.inputTokens(), c.outputTokens(), c.cachedInputTokens()) : Credits.ZERO;
        return new PostingEngine.Request(posting, List.of(usage), at, c.occurredAt() == null ? null : "occurredAt")
                .withSpend(SpendAttributions.of(c.holdId(), c.apiKeyId()).withByokListPrice(byokListPrice));
    }
}
