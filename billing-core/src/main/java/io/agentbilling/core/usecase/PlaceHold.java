package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.money.CreditAmounts;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.Admission;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.spend.SpendSnapshot;
import io.agentbilling.core.spendcontrol.EventOutbox;
import io.agentbilling.core.spendcontrol.SpendReader;
import io.agentbilling.core.webhooks.Events;
import io.agentbilling.core.spend.UtcPeriods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Admits work and reserves its credit in one step ({@code POST /v1/internal/billing/holds}): under the org's account
 * lock — the lock every settlement takes — it expires the org's holds past their time, reads the balance, the
 * active holds and, when named, the member's budget and the key's cap with their spend, decides with
 * {@link Admission}, and inserts the hold. So concurrent agents cannot together reserve more than the balance or a
 * limit leaves: the second waits for the first and sees its hold. Refused work gets
 * {@code INSUFFICIENT_CREDIT} naming the limit. The same idempotency key with the same request answers the same
 * hold (whatever became of it). Thread-safe.
 */
public final class PlaceHold {
    /** The longest a hold may live. */
    public static final long MAX_TTL_SECONDS = 7L * 24 * 3600;

    private final Transactions transactions;
    private final IdGenerator ids;
    private final Clock clock;
    private final EventOutbox outbox;

    public PlaceHold(Transactions transactions, IdGenerator ids, Clock clock, EventOutbox outbox) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /**
     * The work to admit. Build it by name: {@code Command.builder().orgId(org).memberId(member).amountCents(500)
     * .ttlSeconds(600).idempotencyKey("run-7").build()}.
     */
    public static final class Command {
        private final OrgId orgId;
        private final MemberId memberId;
        private final ApiKeyId apiKeyId;
        private final long amountCents;
        private final long ttlSeconds;
        private final String idempotencyKey;

        private Command(Builder b) {
            this.orgId = b.orgId;
            this.memberId = b.memberId;
            this.apiKeyId = b.apiKeyId;
            this.amountCents = b.amountCents;
            this.ttlSeconds = b.ttlSeconds;
            this.idempotencyKey = b.idempotencyKey;
        }

        public static Builder builder() {
            return new Builder();
        }

        /** @return the org whose credit is reserved; required */
        public OrgId orgId() {
            return orgId;
        }

        /** @return the member doing the work, whose budget applies; null for none */
        public MemberId memberId() {
            return memberId;
        }

        /** @return the API key the work goes through, whose cap applies; null for none */
        public ApiKeyId apiKeyId() {
            return apiKeyId;
        }

        /** @return what to reserve, in cents: 1 to one billion dollars */
        public long amountCents() {
            return amountCents;
        }

        /** @return how long the hold lives unless captured or released: 1 s to {@value #MAX_TTL_SECONDS} s */
        public long ttlSeconds() {
            return ttlSeconds;
        }

        /** @return the caller's key: a retry answers the same hold; required */
        public String idempotencyKey() {
            return idempotencyKey;
        }

        @Override
        public String toString() {
            return "PlaceHold.Command[orgId=" + orgId + ", memberId=" + memberId + ", apiKeyId=" + apiKeyId
                    + ", amountCents=" + amountCents + ", ttlSeconds=" + ttlSeconds + ", idempotencyKey="
                    + idempotencyKey + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private OrgId orgId;
            private MemberId memberId;
            private ApiKeyId apiKeyId;
            private long amountCents;
            private long ttlSeconds;
            private String idempotencyKey;

            private Builder() {
            }

            /** @param value the org whose credit is reserved @return this builder */
            public Builder orgId(OrgId value) {
                this.orgId = value;
                return this;
            }

            /** @param value the member doing the work, or null @return this builder */
            public Builder memberId(MemberId value) {
                this.memberId = value;
                return this;
            }

            /** @param value the key the work goes through, or null @return this builder */
            public Builder apiKeyId(ApiKeyId value) {
                this.apiKeyId = value;
                return this;
            }

            /** @param value what to reserve, in cents @return this builder */
            public Builder amountCents(long value) {
                this.amountCents = value;
                return this;
            }

            /** @param value how long the hold lives, in seconds @return this builder */
            public Builder ttlSeconds(long value) {
                this.ttlSeconds = value;
                return this;
            }

            /** @param value the caller's key @return this builder */
            public Builder idempotencyKey(String value) {
                this.idempotencyKey = value;
                return this;
            }

            /** @return a command with the fields set so far */
            public Command build() {
                return new Command(this);
            }
        }
    }

    /**
     * @param hold     the hold placed (for a replay: as it is now)
     * @param replayed whether an earlier request with the same key had placed it
     */
    public record Result(Hold hold, boolean replayed) {}

    /**
     * Admits and reserves, or refuses.
     *
     * @param c the work
     * @return the hold
     * @throws BillingException {@code BAD_REQUEST} naming the field at fault; {@code NOT_FOUND} when the org does not
     *                          exist; {@code UNPROCESSABLE} naming {@code memberId} or {@code apiKeyId} when either
     *                          is not the org's; {@code IDEMPOTENCY_CONFLICT} for a key used with another request;
     *                          {@code INSUFFICIENT_CREDIT} when a limit does not leave the amount, with the details
     *                          {@code amountCents} (what is left) and {@code limitedBy} (the limit's name)
     */
    public Result execute(Command c) {
        Checks.required("orgId", c.orgId());
        Credits amount = CreditAmounts.cents("amountCents", c.amountCents(), CreditAmounts.Sign.POSITIVE);
        if (c.ttlSeconds() < 1 || c.ttlSeconds() > MAX_TTL_SECONDS) {
            throw BillingException.invalid("ttlSeconds", "must be between 1 and " + MAX_TTL_SECONDS);
        }
        Checks.idempotencyKey(c.idempotencyKey());
        String fingerprint = Fingerprint.of("hold", c.memberId(), c.apiKeyId(), amount.micros(), c.ttlSeconds());
        return transactions.inTransaction(stores -> {
            Instant now = UtcPeriods.now(clock);
            Account account = stores.ledger().lockAccounts(Set.of(c.orgId())).get(c.orgId());
            if (account == null) {
                throw BillingException.notFound("organization");
            }
            var earlier = stores.spend().findHoldByKey(c.orgId(), c.idempotencyKey());
            if (earlier.isPresent()) {
                if (!earlier.get().fingerprint().equals(fingerprint)) {
                    throw BillingException.of(BillingError.IDEMPOTENCY_CONFLICT,
                            "idempotency key was already used with a different payload");
                }
                return new Result(earlier.get(), true);
            }
            SpendControlChecks.requireMemberAndKey(stores, c.orgId(), c.memberId(), c.apiKeyId());
            ExpireHolds.expireDue(stores, outbox, c.orgId(), now);
            SpendSnapshot snapshot = SpendReader.snapshot(stores, c.orgId(), account.balance(), c.memberId(),
                    c.apiKeyId(), now);
            Admission.Decision decision = Admission.decide(snapshot, amount);
            if (!decision.allowed()) {
                throw refusal(decision, amount);
            }
            Hold hold = Hold.place(new HoldId(ids.newId()), c.orgId(), c.memberId(), c.apiKeyId(), amount, now,
                    now.plus(Duration.ofSeconds(c.ttlSeconds())), c.idempotencyKey(), fingerprint);
            if (!stores.spend().insertHold(hold)) {
                throw new IllegalStateException("hold key " + c.idempotencyKey() + " was taken under the account lock");
            }
            return new Result(hold, false);
        });
    }

    private static BillingException refusal(Admission.Decision decision, Credits amount) {
        Admission.Limit limit = decision.limit(decision.limitedBy());
        String name = decision.limitedBy().wireName();
        long left = Math.max(0, limit.remaining().toCentsFloor());
        return BillingException.of(BillingError.INSUFFICIENT_CREDIT, "not admitted: " + name + " leaves " + left
                        + " cents, " + amount.toCentsHalfEven() + " asked",
                List.of(new FieldIssue("amountCents", "more than " + name + " leaves (" + left + " cents)"),
                        new FieldIssue("limitedBy", name)));
    }
}
