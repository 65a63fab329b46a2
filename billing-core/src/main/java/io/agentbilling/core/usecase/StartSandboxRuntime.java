package io.agentbilling.core.usecase;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.spend.HoldStatus;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usage.UsageWindow;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Opens a sandbox's runtime meter. Idempotent twice over: the idempotency key replays its original meter, and a
 * start of a sandbox that already has a meter replays it when the payload matches (same org, member, size and, when
 * given, start time) and is a {@code conflict} when it does not. The size must be priced by the catalog in force at
 * the start ({@code unprocessable}). Thread-safe.
 */
public final class StartSandboxRuntime {
    private final Transactions transactions;
    private final PriceBook prices;
    private final Clock clock;
    private final UsageWindow window;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param prices the prices in force
     * @param clock the clock that tells the time
     */
    public StartSandboxRuntime(Transactions transactions, PriceBook prices, Clock clock) {
        this(transactions, prices, clock, UsageWindow.DEFAULT);
    }

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param prices the prices in force
     * @param clock the clock that tells the time
     */
    public StartSandboxRuntime(Transactions transactions, PriceBook prices, Clock clock, UsageWindow window) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
    }

    /** A sandbox to start metering. */
    public static final class Command {
        private final String sandboxId;
        private final OrgId orgId;
        private final MemberId memberId;
        private final String size;
        private final Instant startedAt;
        private final String idempotencyKey;
        private final HoldId holdId;

        private Command(Builder b) {
            this.sandboxId = b.sandboxId;
            this.orgId = b.orgId;
            this.memberId = b.memberId;
            this.size = b.size;
            this.startedAt = b.startedAt;
            this.idempotencyKey = b.idempotencyKey;
            this.holdId = b.holdId;
        }

        /**
         * A builder with every field unset (null, 0 or false); set fields by name, then build().
         */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * The caller's id of the sandbox, unique across orgs; required.
         *
         * @return the sandboxId
         */
        public String sandboxId() {
            return sandboxId;
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
         * The member who runs it; required, a member of the org.
         *
         * @return the memberId
         */
        public MemberId memberId() {
            return memberId;
        }

        /**
         * The sandbox size, as the catalog prices it; required.
         *
         * @return the size
         */
        public String size() {
            return size;
        }

        /**
         * When it started; null = now; within the usage window and not before the org was created (422 otherwise).
         *
         * @return the startedAt
         */
        public Instant startedAt() {
            return startedAt;
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
         * The hold to bind to the meter, whose settlements then capture it (interim ones in part, the final one for good); optional.
         *
         * @return the holdId
         */
        public HoldId holdId() {
            return holdId;
        }

        @Override
        public String toString() {
            return "StartSandboxRuntime.Command[" + "sandboxId=" + sandboxId + ", orgId=" + orgId
                    + ", memberId=" + memberId + ", size=" + size + ", startedAt=" + startedAt
                    + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private String sandboxId;
            private OrgId orgId;
            private MemberId memberId;
            private String size;
            private Instant startedAt;
            private String idempotencyKey;
            private HoldId holdId;

            private Builder() {
            }

            /**
             * Sets the caller's id of the sandbox, unique across orgs; required.
             *
             * @param sandboxId the value
             * @return this builder
             */
            public Builder sandboxId(String sandboxId) {
                this.sandboxId = sandboxId;
                return this;
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
             * Sets the member who runs it; required, a member of the org.
             *
             * @param memberId the value
             * @return this builder
             */
            public Builder memberId(MemberId memberId) {
                this.memberId = memberId;
                return this;
            }

            /**
             * Sets the sandbox size, as the catalog prices it; required.
             *
             * @param size the value
             * @return this builder
             */
            public Builder size(String size) {
                this.size = size;
                return this;
            }

            /**
             * Sets when it started; null = now; within the usage window and not before the org was created (422
             * otherwise).
             *
             * @param startedAt the value
             * @return this builder
             */
            public Builder startedAt(Instant startedAt) {
                this.startedAt = startedAt;
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
             * Sets the hold to bind to the meter, whose settlements then capture it (interim ones in part, the final one for good); optional.
             *
             * @param holdId the value
             * @return this builder
             */
            public Builder holdId(HoldId holdId) {
                this.holdId = holdId;
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

    public record Result(SandboxMeter meter, boolean replayed) {}

    /**
     * Starts metering the sandbox (once per idempotency key).
     *
     * @param c the sandbox
     * @return the meter; {@code replayed} for a replay
     * @throws BillingException {@code BAD_REQUEST} naming the field at fault; {@code NOT_FOUND} when the org does not
     *                          exist; {@code UNPROCESSABLE} for a member who is not one of the org's, a size the
     *                          catalog does not price or a {@code startedAt} outside the usage window; {@code
     *                          CONFLICT} when the sandbox id is already taken by another start; {@code
     *                          IDEMPOTENCY_CONFLICT} for a key used with another start
     */
    public Result execute(Command c) {
        Checks.name("sandboxId", c.sandboxId(), Checks.MAX_NAME_LENGTH);
        Checks.required("orgId", c.orgId());
        Checks.required("memberId", c.memberId());
        Checks.name("size", c.size(), Checks.MAX_NAME_LENGTH);
        Checks.idempotencyKey(c.idempotencyKey());
        Instant now = clock.instant();
        // Stored timestamps keep microseconds (PostgreSQL); truncate so that a replay compares equal on every adapter.
        Instant startedAt = (c.startedAt() == null ? now : window.usageAt("startedAt", c.startedAt(), now))
                .truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        prices.inForceAt(startedAt).sandboxPricePerSecond(c.size());

        String fingerprint = SpendAttributions.fingerprint(Fingerprint.of("sandbox-start", c.sandboxId(),
                c.memberId(), c.size(), c.startedAt()), c.holdId(), null);
        return transactions.inTransaction(stores -> {
            requireOrgAndMember(stores, c, startedAt);
            IdempotencyRecord claim = IdempotencyRecord.claim(c.orgId(), c.idempotencyKey(), fingerprint, now);
            IdempotencyRecord earlier = stores.ledger().claimKeys(List.of(claim)).get(claim.scopedKey());
            if (earlier != null) {
                return replay(stores, earlier, fingerprint);
            }
            SandboxMeter fresh = SandboxMeter.start(c.sandboxId(), c.orgId(), c.memberId(), c.size(), startedAt);
            Result result;
            if (stores.meters().insertIfAbsent(fresh)) {
                if (c.holdId() != null) {
                    bindHold(stores, c);
                }
                result = new Result(fresh, false);
            } else {
                SandboxMeter existing = stores.meters().find(c.sandboxId()).orElseThrow(
                        () -> new IllegalStateException("meter " + c.sandboxId() + " vanished"));
                if (!sameStart(existing, c)) {
                    throw BillingException.of(BillingError.CONFLICT,
                            "sandbox " + c.sandboxId() + " was already started with another payload");
                }
                result = new Result(existing, true);
            }
            stores.ledger().completeKeys(List.of(claim.withOutcome(null, Credits.ZERO, Credits.ZERO,
                    c.sandboxId())));
            return result;
        });
    }

    /**
     * Binds the hold to the new meter, whose settlements then capture it. The hold must be an active hold of the
     * org, placed for this member (or for none), and not bound to another sandbox.
     */
    private static void bindHold(Stores stores, Command c) {
        Hold hold = stores.spend().lockHolds(c.orgId(), java.util.Set.of(c.holdId())).get(c.holdId());
        if (hold == null) {
            throw BillingException.unprocessable("holdId", "is not a hold of this organization");
        }
        if (hold.status() != HoldStatus.ACTIVE) {
            throw BillingException.unprocessable("holdId", "is " + hold.status().wireName() + ", not active");
        }
        if (hold.memberId() != null && !hold.memberId().equals(c.memberId())) {
            throw BillingException.unprocessable("holdId", "was placed for another member");
        }
        if (hold.sandboxId() != null && !hold.sandboxId().equals(c.sandboxId())) {
            throw BillingException.unprocessable("holdId", "is bound to another sandbox");
        }
        stores.spend().updateHold(hold.boundTo(c.sandboxId()));
    }

    private static void requireOrgAndMember(Stores stores, Command c, Instant startedAt) {
        Org org = stores.directory().findOrg(c.orgId()).orElseThrow(() -> BillingException.notFound("organization"));
        if (c.startedAt() != null) {
            UsageWindow.notBeforeOrg("startedAt", startedAt, org.createdAt());
        }
        if (stores.directory().findMember(c.orgId(), c.memberId()).isEmpty()) {
            throw BillingException.of(BillingError.UNPROCESSABLE, "memberId is not a member of this organization");
        }
    }

    private static Result replay(Stores stores, IdempotencyRecord earlier, String fingerprint) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw BillingException.of(BillingError.IDEMPOTENCY_CONFLICT,
                    "idempotency key was already used with a different payload");
        }
        SandboxMeter meter = stores.meters().find(earlier.resultRef()).orElseThrow(
                () -> new IllegalStateException("idempotency key points at a missing meter " + earlier.resultRef()));
        return new Result(meter, true);
    }

    private static boolean sameStart(SandboxMeter existing, Command c) {
        return existing.orgId().equals(c.orgId()) && existing.memberId().equals(c.memberId())
                && existing.size().equals(c.size())
                && (c.startedAt() == null
                        || existing.startedAt().equals(c.startedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS)));
    }
}
