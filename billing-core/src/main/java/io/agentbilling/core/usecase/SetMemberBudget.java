package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.MemberBudget;
import io.agentbilling.core.spend.MemberBudgetStatus;
import io.agentbilling.core.spend.UtcPeriods;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Sets a member's budget ({@code PUT /v1/billing/budgets/members/{memberId}}); admins only. The command replaces
 * both limits: a limit left null is no limit, and both null removes the budget. Spend already recorded stays; a
 * limit below it refuses the member's next admission. Thread-safe.
 */
public final class SetMemberBudget {
    private final Transactions transactions;
    private final Clock clock;
    private final GetBudgets budgets;

    public SetMemberBudget(Transactions transactions, Clock clock, GetBudgets budgets) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.budgets = Objects.requireNonNull(budgets, "budgets");
    }

    /** A member's new limits. Build it by name: {@code Command.builder().caller(admin).memberId(m)…build()}. */
    public static final class Command {
        private final Caller caller;
        private final OrgId orgId;
        private final MemberId memberId;
        private final Long monthlyLimitCents;
        private final Long dailyLimitCents;

        private Command(Builder b) {
            this.caller = Objects.requireNonNull(b.caller, "caller");
            this.orgId = b.orgId;
            this.memberId = b.memberId;
            this.monthlyLimitCents = b.monthlyLimitCents;
            this.dailyLimitCents = b.dailyLimitCents;
        }

        public static Builder builder() {
            return new Builder();
        }

        /** @return the admin asking; required */
        public Caller caller() {
            return caller;
        }

        /** @return the org; null = the caller's */
        public OrgId orgId() {
            return orgId;
        }

        /** @return the member whose budget it is; required */
        public MemberId memberId() {
            return memberId;
        }

        /** @return the calendar-month (UTC) limit in cents, 0 to one billion dollars; null for none */
        public Long monthlyLimitCents() {
            return monthlyLimitCents;
        }

        /** @return the daily (UTC) limit in cents, 0 to one billion dollars; null for none */
        public Long dailyLimitCents() {
            return dailyLimitCents;
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private Caller caller;
            private OrgId orgId;
            private MemberId memberId;
            private Long monthlyLimitCents;
            private Long dailyLimitCents;

            private Builder() {
            }

            /** @param value the admin asking @return this builder */
            public Builder caller(Caller value) {
                this.caller = value;
                return this;
            }

            /** @param value the org, or null for the caller's @return this builder */
            public Builder orgId(OrgId value) {
                this.orgId = value;
                return this;
            }

            /** @param value the member @return this builder */
            public Builder memberId(MemberId value) {
                this.memberId = value;
                return this;
            }

            /** @param value the monthly limit in cents, or null for none @return this builder */
            public Builder monthlyLimitCents(Long value) {
                this.monthlyLimitCents = value;
                return this;
            }

            /** @param value the daily limit in cents, or null for none @return this builder */
            public Builder dailyLimitCents(Long value) {
                this.dailyLimitCents = value;
                return this;
            }

            /** @return a command with the fields set so far */
            public Command build() {
                return new Command(this);
            }
        }
    }

    /**
     * @param c the new limits
     * @return the member's budget and spend after the change
     * @throws BillingException {@code FORBIDDEN} for a member who is not an admin, or another org than the caller's;
     *                          {@code BAD_REQUEST} naming a limit out of range; {@code NOT_FOUND} for a member who is
     *                          not one of the org's
     */
    public MemberBudgetStatus execute(Command c) {
        c.caller().requireAdmin();
        OrgId orgId = c.caller().resolveOrg(c.orgId());
        Checks.required("memberId", c.memberId());
        Credits monthly = SpendControlChecks.limitCents("monthlyLimitCents", c.monthlyLimitCents());
        Credits daily = SpendControlChecks.limitCents("dailyLimitCents", c.dailyLimitCents());
        Instant now = UtcPeriods.now(clock);
        transactions.inTransaction(stores -> {
            if (stores.directory().findMember(orgId, c.memberId()).isEmpty()) {
                throw BillingException.notFound("member");
            }
            if (monthly == null && daily == null) {
                stores.spend().deleteBudget(orgId, c.memberId());
            } else {
                stores.spend().saveBudget(new MemberBudget(orgId, c.memberId(), monthly, daily, now));
            }
            return null;
        });
        return budgets.forMember(orgId, c.memberId());
    }
}
