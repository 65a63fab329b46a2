package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.ApiKeys;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.spend.ApiKeyCap;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Creates an API key for a member of an org. The plain key is returned once, in the result, and never stored: the
 * directory keeps its SHA-256 hash and a display prefix. Thread-safe.
 */
public final class CreateApiKey {
    public static final int MAX_NAME_CHARS = 100;

    private final Transactions transactions;
    private final Clock clock;
    private final IdGenerator ids;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock the clock that tells the time
     * @param ids the source of ids and secrets
     */
    public CreateApiKey(Transactions transactions, Clock clock, IdGenerator ids) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** An API key to create for a member. Checked when built. */
    public static final class Command {
        private final OrgId orgId;
        private final MemberId memberId;
        private final String name;
        private final boolean test;
        private final Instant expiresAt;
        private final Credits monthlyCap;
        private final Credits lifetimeCap;

        private Command(Builder b) {
            this.monthlyCap = SpendControlChecks.limitCents("monthlyCapCents", b.monthlyCapCents);
            this.lifetimeCap = SpendControlChecks.limitCents("lifetimeCapCents", b.lifetimeCapCents);
            this.expiresAt = Commands.requireStorableInstant("expiresAt", b.expiresAt);
            this.orgId = b.orgId;
            this.memberId = b.memberId;
            this.name = b.name;
            this.test = b.test;
            Objects.requireNonNull(orgId, "orgId");
            if (memberId == null) {
                throw BillingException.invalid("memberId", "is required");
            }
            if (name == null || name.isBlank() || name.length() > MAX_NAME_CHARS) {
                throw BillingException.invalid("name", "must have 1.." + MAX_NAME_CHARS + " characters");
            }
            Commands.requireStorableText("name", name);
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
         * The member who will act through the key; required.
         *
         * @return the memberId
         */
        public MemberId memberId() {
            return memberId;
        }

        /**
         * A name to tell keys apart, 1 to {@value CreateApiKey#MAX_NAME_CHARS} characters.
         *
         * @return the name
         */
        public String name() {
            return name;
        }

        /**
         * Whether it is a test key ({@code rt_test_}).
         *
         * @return the test
         */
        public boolean test() {
            return test;
        }

        /**
         * When it stops working; null = never; must be in the future.
         *
         * @return the expiresAt
         */
        public Instant expiresAt() {
            return expiresAt;
        }

        /**
         * What may be spent through the key per UTC month; null for no monthly cap.
         *
         * @return the monthly cap
         */
        public Credits monthlyCap() {
            return monthlyCap;
        }

        /**
         * What may be spent through the key over its life; null for no lifetime cap.
         *
         * @return the lifetime cap
         */
        public Credits lifetimeCap() {
            return lifetimeCap;
        }

        @Override
        public String toString() {
            return "CreateApiKey.Command[" + "orgId=" + orgId + ", memberId=" + memberId + ", name=" + name
                    + ", test=" + test + ", expiresAt=" + expiresAt + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private OrgId orgId;
            private MemberId memberId;
            private String name;
            private boolean test;
            private Instant expiresAt;
            private Long monthlyCapCents;
            private Long lifetimeCapCents;

            private Builder() {
            }

            /**
             * Sets the key's monthly spend cap in cents, 0 to one billion dollars; null = none.
             *
             * @param cents the value
             * @return this builder
             */
            public Builder monthlyCapCents(Long cents) {
                this.monthlyCapCents = cents;
                return this;
            }

            /**
             * Sets the key's lifetime spend cap in cents, 0 to one billion dollars; null = none.
             *
             * @param cents the value
             * @return this builder
             */
            public Builder lifetimeCapCents(Long cents) {
                this.lifetimeCapCents = cents;
                return this;
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
             * Sets the member who will act through the key; required.
             *
             * @param memberId the value
             * @return this builder
             */
            public Builder memberId(MemberId memberId) {
                this.memberId = memberId;
                return this;
            }

            /**
             * Sets a name to tell keys apart, 1 to {@value CreateApiKey#MAX_NAME_CHARS} characters.
             *
             * @param name the value
             * @return this builder
             */
            public Builder name(String name) {
                this.name = name;
                return this;
            }

            /**
             * Sets whether it is a test key ({@code rt_test_}).
             *
             * @param test the value
             * @return this builder
             */
            public Builder test(boolean test) {
                this.test = test;
                return this;
            }

            /**
             * Sets when it stops working; null = never; must be in the future.
             *
             * @param expiresAt the value
             * @return this builder
             */
            public Builder expiresAt(Instant expiresAt) {
                this.expiresAt = expiresAt;
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

    /** The plain key (shown once) and the stored key. */
    public record Result(String plainKey, ApiKey key) {
        @Override
        public String toString() {
            return "Result[key=" + key + "]";
        }
    }

    /**
     * Creates the key; its plain text is in the result and nowhere else.
     *
     * @param command the key to create
     * @return the plain key (show it once) and the stored key
     * @throws BillingException {@code BAD_REQUEST} naming {@code expiresAt} when it is not in the future; {@code
     *                          NOT_FOUND} when the org does not exist; {@code UNPROCESSABLE} when the member is not
     *                          one of the org's members
     */
    public Result execute(Command command) {
        Instant now = clock.instant();
        if (command.expiresAt() != null && !command.expiresAt().isAfter(now)) {
            throw BillingException.invalid("expiresAt", "must be in the future");
        }
        ApiKeys.Generated generated = ApiKeys.generate(ids.secureRandomBytes(ApiKeys.SECRET_BYTES), command.test());
        ApiKey key = new ApiKey(new ApiKeyId(ids.newId()), command.orgId(), command.memberId(), command.name(),
                generated.keyHash(), generated.displayPrefix(), command.test(), now, command.expiresAt(), null);
        transactions.inTransaction(stores -> {
            if (stores.directory().findOrg(command.orgId()).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            if (stores.directory().findMember(command.orgId(), command.memberId()).isEmpty()) {
                throw BillingException.of(BillingError.UNPROCESSABLE, "memberId is not a member of this organization");
            }
            stores.directory().insertApiKey(key);
            if (command.monthlyCap() != null || command.lifetimeCap() != null) {
                stores.spend().saveCap(new ApiKeyCap(key.orgId(), key.id(), command.monthlyCap(),
                        command.lifetimeCap(), now));
            }
            return null;
        });
        return new Result(generated.plainKey(), key);
    }
}
