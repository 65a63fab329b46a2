package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.IdempotencyRecord.ScopedKey;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import io.agentbilling.core.usage.UsageWindow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Charges settled sandbox seconds (API.md Part B {@code settle}) at the size's per-second price in the catalog in
 * force when the sandbox started, records forgiven seconds as waived usage, and moves the meter on; a final
 * settlement closes it. The meter is locked before the posting, so concurrent settlements of one sandbox queue up.
 * A settlement may not reach past the clock (plus {@link UsageWindow#sandboxSettleSkew()}): the meter's settled time
 * plus the seconds charged and forgiven must have elapsed (422 naming {@code seconds} or {@code forgivenSeconds}).
 * Unknown sandbox → {@code not_found}; a new settlement of a closed meter → {@code conflict} (a replay still
 * replays). Thread-safe.
 */
public final class SettleSandboxRuntime {
    static final String RESOURCE = "sandbox";

    /** No single settlement covers more than a year of runtime. */
    static final long MAX_SECONDS = 366L * 24 * 3600;

    private final Transactions transactions;
    private final PostingEngine engine;
    private final PriceBook prices;
    private final Clock clock;
    private final UsageWindow window;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param engine the posting engine
     * @param prices the prices in force
     * @param clock the clock that tells the time
     */
    public SettleSandboxRuntime(Transactions transactions, PostingEngine engine, PriceBook prices, Clock clock) {
        this(transactions, engine, prices, clock, UsageWindow.DEFAULT);
    }

    /**
     * @param window how far past the clock a settlement may reach ({@link UsageWindow#sandboxSettleSkew()})
     * @param transactions the unit of work
     * @param engine the posting engine
     * @param prices the prices in force
     * @param clock the clock that tells the time
     */
    public SettleSandboxRuntime(Transactions transactions, PostingEngine engine, PriceBook prices, Clock clock,
                                UsageWindow window) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
    }

    /** Runtime of a started sandbox to settle. */
    public static final class Command {
        private final String sandboxId;
        private final long seconds;
        private final long forgivenSeconds;
        private final boolean finalSettlement;
        private final String idempotencyKey;
        private final HoldId holdId;
        private final ApiKeyId apiKeyId;

        private Command(Builder b) {
            this.sandboxId = b.sandboxId;
            this.seconds = b.seconds;
            this.forgivenSeconds = b.forgivenSeconds;
            this.finalSettlement = b.finalSettlement;
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
         * The sandbox, as started; required.
         *
         * @return the sandboxId
         */
        public String sandboxId() {
            return sandboxId;
        }

        /**
         * Runtime seconds to charge, 0 or more.
         *
         * @return the seconds
         */
        public long seconds() {
            return seconds;
        }

        /**
         * Runtime seconds the caller forgives (recorded, not charged), 0 or more.
         *
         * @return the forgivenSeconds
         */
        public long forgivenSeconds() {
            return forgivenSeconds;
        }

        /**
         * Whether the sandbox has stopped: its meter closes.
         *
         * @return the finalSettlement
         */
        public boolean finalSettlement() {
            return finalSettlement;
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
         * The hold to capture; optional: a hold bound to the meter at its start is captured without it.
         *
         * @return the holdId
         */
        public HoldId holdId() {
            return holdId;
        }

        /**
         * The API key the spend goes through, for its cap; optional.
         *
         * @return the apiKeyId
         */
        public ApiKeyId apiKeyId() {
            return apiKeyId;
        }

        @Override
        public String toString() {
            return "SettleSandboxRuntime.Command[" + "sandboxId=" + sandboxId + ", seconds=" + seconds
                    + ", forgivenSeconds=" + forgivenSeconds + ", finalSettlement=" + finalSettlement
                    + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private String sandboxId;
            private long seconds;
            private long forgivenSeconds;
            private boolean finalSettlement;
            private String idempotencyKey;
            private HoldId holdId;
            private ApiKeyId apiKeyId;

            private Builder() {
            }

            /**
             * Sets the sandbox, as started; required.
             *
             * @param sandboxId the value
             * @return this builder
             */
            public Builder sandboxId(String sandboxId) {
                this.sandboxId = sandboxId;
                return this;
            }

            /**
             * Sets runtime seconds to charge, 0 or more.
             *
             * @param seconds the value
             * @return this builder
             */
            public Builder seconds(long seconds) {
                this.seconds = seconds;
                return this;
            }

            /**
             * Sets runtime seconds the caller forgives (recorded, not charged), 0 or more.
             *
             * @param forgivenSeconds the value
             * @return this builder
             */
            public Builder forgivenSeconds(long forgivenSeconds) {
                this.forgivenSeconds = forgivenSeconds;
                return this;
            }

            /**
             * Sets whether the sandbox has stopped: its meter closes.
             *
             * @param finalSettlement the value
             * @return this builder
             */
            public Builder finalSettlement(boolean finalSettlement) {
                this.finalSettlement = finalSettlement;
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
             * Sets the hold to capture; optional: a hold bound to the meter at its start is captured without it.
             *
             * @param holdId the value
             * @return this builder
             */
            public Builder holdId(HoldId holdId) {
                this.holdId = holdId;
                return this;
            }

            /**
             * Sets the API key the spend goes through, for its cap; optional.
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

    public record Result(SettlementResult settlement, SandboxMeter meter) {}

    /**
     * Settles runtime of a started sandbox (once per idempotency key).
     *
     * @param c the sandbox and the seconds
     * @return what was charged and the meter after it
     * @throws BillingException {@code BAD_REQUEST} naming the field at fault; {@code NOT_FOUND} when no sandbox of
     *                          that id was started; {@code CONFLICT} when it is already settled for good; {@code
     *                          UNPROCESSABLE} for seconds that have not elapsed yet, or an amount the org's ledger
     *                          cannot take; {@code IDEMPOTENCY_CONFLICT} for a key used with another settlement
     */
    public Result execute(Command c) {
        validate(c);
        Instant now = clock.instant();
        String fingerprint = SpendAttributions.fingerprint(Fingerprint.of("sandbox-settle", c.sandboxId(), c.seconds(),
                c.forgivenSeconds(), c.finalSettlement()), c.holdId(), c.apiKeyId());
        return transactions.inTransaction(stores -> {
            SandboxMeter meter = stores.meters().findForUpdate(c.sandboxId())
                    .orElseThrow(() -> BillingException.notFound("sandbox meter"));
            if (!meter.isOpen()
                    && stores.ledger().findKey(new ScopedKey(meter.orgId(), c.idempotencyKey())).isEmpty()) {
                throw BillingException.of(BillingError.CONFLICT, "sandbox " + c.sandboxId() + " is already settled");
            }
            // The hold named, or the one bound to the meter at its start; the final settlement closes it.
            HoldId holdId = c.holdId() != null ? c.holdId() : stores.spend()
                    .findActiveHoldOfSandbox(meter.orgId(), meter.sandboxId()).map(Hold::id).orElse(null);
            PostingEngine.Request request = request(prices, meter, c.seconds(), c.forgivenSeconds(),
                    c.idempotencyKey(), fingerprint, now).withSpend(SpendAttributions.of(holdId, c.apiKeyId())
                    .withFinalCapture(c.finalSettlement()));
            SettlementResult settlement = SettlementResult.of(engine.post(stores, List.of(request)).get(0));
            if (settlement.replayed()) {
                return new Result(settlement, meter);
            }
            // Only time that has elapsed can be settled. Checked after the posting so that a replay (which moves
            // nothing) still replays; refusing here rolls the posting back.
            window.settledThrough("seconds", meter.settledThrough().plusSeconds(c.seconds()), now);
            SandboxMeter after = meter.settle(c.seconds(), c.forgivenSeconds(), c.finalSettlement());
            window.settledThrough("forgivenSeconds", after.settledThrough(), now);
            stores.meters().update(after);
            return new Result(settlement, after);
        });
    }

    private static void validate(Command c) {
        Checks.name("sandboxId", c.sandboxId(), Checks.MAX_NAME_LENGTH);
        Checks.nonNegative("seconds", c.seconds());
        Checks.nonNegative("forgivenSeconds", c.forgivenSeconds());
        if (c.seconds() > MAX_SECONDS) {
            throw BillingException.invalid("seconds", "must be <= " + MAX_SECONDS);
        }
        if (c.forgivenSeconds() > MAX_SECONDS) {
            throw BillingException.invalid("forgivenSeconds", "must be <= " + MAX_SECONDS);
        }
        if (c.seconds() == 0 && c.forgivenSeconds() == 0 && !c.finalSettlement()) {
            throw BillingException.invalid("seconds",
                    "must be > 0 unless forgivenSeconds is or the settlement is final");
        }
        Checks.idempotencyKey(c.idempotencyKey());
    }

    /** The posting that charges {@code seconds} of a meter and records {@code forgiven} as waived. */
    static PostingEngine.Request request(PriceBook prices, SandboxMeter meter, long seconds, long forgiven,
                                         String key, String fingerprint, Instant now) {
        Credits charge = prices.inForceAt(meter.startedAt()).chargeForSandbox(meter.size(), seconds);
        String description = "sandbox runtime (" + meter.size() + "): " + seconds + " s"
                + (forgiven > 0 ? ", " + forgiven + " s forgiven" : "");
        Posting posting = Posting.usage(meter.orgId(), meter.memberId(), charge,
                EntryText.charge(RESOURCE, description).withReference(meter.sandboxId()), key, fingerprint);
        UsageAmounts usage = UsageAmounts.sandbox(meter.memberId(), meter.size(), seconds, forgiven, charge);
        return new PostingEngine.Request(posting, List.of(usage), now);
    }
}
