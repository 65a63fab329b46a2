package io.agentbilling.core.usecase;

import io.agentbilling.core.money.CreditAmounts;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.GrantKind;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.pricing.Plan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Creates an organization on a plan with its (empty) account and, when the plan or the caller says so, its sign-up
 * grant as a {@code signup_grant} entry — all in one unit of work. With an idempotency key, a retried creation
 * returns the org the first call created.
 */
public final class CreateOrg {
    /** Idempotency keys of org creation are scoped to no org; this nil id stands for that scope. */
    public static final OrgId CREATION_SCOPE = new OrgId(new UUID(0, 0));
    public static final int MAX_NAME_LENGTH = 200;

    private final Transactions transactions;
    private final PostingEngine engine;
    private final PriceBook prices;
    private final IdGenerator ids;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param engine the posting engine
     * @param prices the prices in force
     * @param ids the source of ids and secrets
     * @param clock the clock that tells the time
     */
    public CreateOrg(Transactions transactions, PostingEngine engine, PriceBook prices, IdGenerator ids, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions);
        this.engine = Objects.requireNonNull(engine);
        this.prices = Objects.requireNonNull(prices);
        this.ids = Objects.requireNonNull(ids);
        this.clock = Objects.requireNonNull(clock);
    }

    /** An organization to create. Checked when built. */
    public static final class Command {
        private final String name;
        private final String plan;
        private final Credits signupGrant;
        private final String idempotencyKey;

        private Command(Builder b) {
            this.signupGrant = CreditAmounts.optional("signupGrant", b.signupGrantCents, b.signupGrantMicros,
                    CreditAmounts.Sign.NON_NEGATIVE);
            this.name = b.name;
            this.plan = b.plan;
            this.idempotencyKey = b.idempotencyKey;
            if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
                throw BillingException.invalid("name", "is required, 1.." + MAX_NAME_LENGTH + " characters");
            }
            Commands.requireStorableText("name", name);
            Commands.requireStorableText("plan", plan);
            Commands.optionalIdempotencyKey(idempotencyKey);
        }

        /**
         * A builder with every field unset (null, 0 or false); set fields by name, then build().
         */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * The org's name, 1 to {@value CreateOrg#MAX_NAME_LENGTH} characters; required.
         *
         * @return the name
         */
        public String name() {
            return name;
        }

        /**
         * The plan code; null = {@code free}.
         *
         * @return the plan
         */
        public String plan() {
            return plan;
        }

        /**
         * The sign-up grant; null = the plan's; zero = none.
         *
         * @return the signupGrant
         */
        public Credits signupGrant() {
            return signupGrant;
        }

        /**
         * The caller's key: a retried creation returns the same org; optional.
         *
         * @return the idempotencyKey
         */
        public String idempotencyKey() {
            return idempotencyKey;
        }

        @Override
        public String toString() {
            return "CreateOrg.Command[" + "name=" + name + ", plan=" + plan + ", signupGrant=" + signupGrant
                    + ", idempotencyKey=" + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private String name;
            private String plan;
            private Long signupGrantCents;
            private Long signupGrantMicros;
            private String idempotencyKey;

            private Builder() {
            }

            /**
             * Sets the org's name; required.
             *
             * @param name the value
             * @return this builder
             */
            public Builder name(String name) {
                this.name = name;
                return this;
            }

            /**
             * Sets the plan code; null = {@code free}.
             *
             * @param plan the value
             * @return this builder
             */
            public Builder plan(String plan) {
                this.plan = plan;
                return this;
            }

            /**
             * Sets the sign-up grant in cents; null = the plan's; 0 = none.
             *
             * @param signupGrantCents the value
             * @return this builder
             */
            public Builder signupGrantCents(long signupGrantCents) {
                this.signupGrantCents = signupGrantCents;
                return this;
            }

            /**
             * Sets the sign-up grant in micros; null = the plan's; 0 = none.
             *
             * @param signupGrantMicros the value
             * @return this builder
             */
            public Builder signupGrantMicros(long signupGrantMicros) {
                this.signupGrantMicros = signupGrantMicros;
                return this;
            }

            /**
             * Sets the caller's key; optional.
             *
             * @param idempotencyKey the value
             * @return this builder
             */
            public Builder idempotencyKey(String idempotencyKey) {
                this.idempotencyKey = idempotencyKey;
                return this;
            }

            /**
             * Sets the amount as credit (named {@code signupGrantMicros} in a refusal).
             *
             * @param signupGrant the amount
             * @return this builder
             */
            public Builder signupGrant(Credits signupGrant) {
                this.signupGrantMicros = signupGrant == null ? null : signupGrant.micros();
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

    /** The org, its sign-up grant (zero when none), its balance, and whether this was a replay. */
    public record Result(Org org, Credits signupGrant, Credits balance, boolean replayed) {}

    /**
     * Creates the org (or replays the creation of the same key).
     *
     * @param command the org to create
     * @return the org, its sign-up grant and balance; {@code replayed} for a replay
     * @throws BillingException {@code BAD_REQUEST} naming {@code plan} when the catalog in force has no such plan;
     *                          {@code IDEMPOTENCY_CONFLICT} for a key used to create another org
     */
    public Result execute(Command command) {
        String planCode = command.plan() == null ? Plan.DEFAULT_CODE : command.plan();
        Plan plan = prices.plan(planCode).orElseThrow(() -> BillingException.invalid("plan",
                "is not a plan of the price catalog in force"));
        Credits grant = command.signupGrant() == null ? plan.signupGrant() : command.signupGrant();
        String fingerprint = Fingerprint.of("create-org", command.name(), planCode, grant.micros());
        return transactions.inTransaction(stores -> {
            Instant now = clock.instant();
            if (command.idempotencyKey() != null) {
                IdempotencyRecord claim = IdempotencyRecord.claim(CREATION_SCOPE, command.idempotencyKey(), fingerprint, now);
                Map<IdempotencyRecord.ScopedKey, IdempotencyRecord> taken = stores.ledger().claimKeys(List.of(claim));
                IdempotencyRecord earlier = taken.get(claim.scopedKey());
                if (earlier != null) {
                    return replay(stores, earlier, fingerprint);
                }
            }
            Org org = new Org(new OrgId(ids.newId()), command.name().strip(), plan.code(), now);
            stores.directory().insertOrg(org);
            stores.ledger().createAccount(org.id(), now);
            Credits balance = Credits.ZERO;
            if (grant.isPositive()) {
                Instant expiresAt = plan.signupGrantDays() == 0 ? null : now.plus(Duration.ofDays(plan.signupGrantDays()));
                String key = "signup:" + org.id();
                Posting posting = Posting.grant(org.id(), GrantKind.SIGNUP, grant, expiresAt,
                        "sign-up credit (" + plan.displayName() + ")", key, key);
                PostingEngine.Result result = engine.post(stores, List.of(PostingEngine.Request.of(posting))).get(0);
                if (result.isRejected()) {
                    throw result.toException();
                }
                balance = result.record().balanceAfter();
            }
            if (command.idempotencyKey() != null) {
                IdempotencyRecord done = IdempotencyRecord.claim(CREATION_SCOPE, command.idempotencyKey(), fingerprint, now)
                        .withOutcome(null, grant, balance, org.id().toString());
                stores.ledger().completeKeys(List.of(done));
            }
            return new Result(org, grant, balance, false);
        });
    }

    private static Result replay(io.agentbilling.core.port.Stores stores, IdempotencyRecord earlier, String fingerprint) {
        if (!earlier.fingerprint().equals(fingerprint)) {
            throw BillingException.of(BillingError.IDEMPOTENCY_CONFLICT,
                    "idempotency key was already used to create a different organization");
        }
        OrgId orgId = OrgId.of(earlier.resultRef());
        Org org = stores.directory().findOrg(orgId).orElseThrow(() -> new IllegalStateException("replayed org missing"));
        Credits balance = stores.ledger().findAccount(orgId).orElseThrow().balance();
        return new Result(org, earlier.amount(), balance, true);
    }
}
