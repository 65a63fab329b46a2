package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.SpendSettings;
import io.agentbilling.core.spendcontrol.SpendReader;
import io.agentbilling.core.spend.UtcPeriods;
import java.time.Clock;
import java.util.Objects;

/**
 * Changes an org's spend-control settings ({@code PUT /v1/billing/settings}); admins only. A setting left unset
 * keeps its value; the low-balance threshold can be cleared (no alert). Thread-safe.
 */
public final class UpdateSpendSettings {
    private final Transactions transactions;
    private final Clock clock;

    public UpdateSpendSettings(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A change; build it by name: {@code Command.builder().caller(admin).balanceLowThresholdCents(1000).build()}. */
    public static final class Command {
        private final Caller caller;
        private final OrgId orgId;
        private final Boolean countByokTowardBudgets;
        private final Long balanceLowThresholdCents;
        private final boolean clearBalanceLowThreshold;

        private Command(Builder b) {
            this.caller = Objects.requireNonNull(b.caller, "caller");
            this.orgId = b.orgId;
            this.countByokTowardBudgets = b.countByokTowardBudgets;
            this.balanceLowThresholdCents = b.balanceLowThresholdCents;
            this.clearBalanceLowThreshold = b.clearBalanceLowThreshold;
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

        /** @return whether BYOK calls count at list price toward budgets and caps; null = unchanged */
        public Boolean countByokTowardBudgets() {
            return countByokTowardBudgets;
        }

        /** @return the new low-balance threshold in cents; null = unchanged (or cleared) */
        public Long balanceLowThresholdCents() {
            return balanceLowThresholdCents;
        }

        /** @return whether the low-balance threshold is removed */
        public boolean clearBalanceLowThreshold() {
            return clearBalanceLowThreshold;
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private Caller caller;
            private OrgId orgId;
            private Boolean countByokTowardBudgets;
            private Long balanceLowThresholdCents;
            private boolean clearBalanceLowThreshold;

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

            /** @param value whether BYOK calls count toward budgets and caps @return this builder */
            public Builder countByokTowardBudgets(boolean value) {
                this.countByokTowardBudgets = value;
                return this;
            }

            /** @param cents the low-balance threshold, 0 to one billion dollars @return this builder */
            public Builder balanceLowThresholdCents(long cents) {
                this.balanceLowThresholdCents = cents;
                this.clearBalanceLowThreshold = false;
                return this;
            }

            /** Removes the low-balance threshold: no {@code balance.low} events. @return this builder */
            public Builder clearBalanceLowThreshold() {
                this.balanceLowThresholdCents = null;
                this.clearBalanceLowThreshold = true;
                return this;
            }

            /** @return a command with the fields set so far */
            public Command build() {
                return new Command(this);
            }
        }
    }

    /**
     * @return the settings after the change
     * @throws BillingException {@code FORBIDDEN} for a member who is not an admin, or another org than the caller's;
     *                          {@code BAD_REQUEST} naming {@code balanceLowThresholdCents} out of range;
     *                          {@code NOT_FOUND} when the org does not exist
     */
    public SpendSettings execute(Command c) {
        c.caller().requireAdmin();
        OrgId orgId = c.caller().resolveOrg(c.orgId());
        Credits threshold = SpendControlChecks.limitCents("balanceLowThresholdCents", c.balanceLowThresholdCents());
        return transactions.inTransaction(stores -> {
            if (stores.directory().findOrg(orgId).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            SpendSettings current = SpendReader.settings(stores, orgId);
            boolean byok = c.countByokTowardBudgets() != null ? c.countByokTowardBudgets()
                    : current.countByokTowardBudgets();
            Credits low = c.clearBalanceLowThreshold() ? null : threshold != null ? threshold
                    : current.balanceLowThreshold();
            SpendSettings updated = new SpendSettings(orgId, byok, low, UtcPeriods.now(clock));
            stores.spend().saveSettings(updated);
            return updated;
        });
    }
}
