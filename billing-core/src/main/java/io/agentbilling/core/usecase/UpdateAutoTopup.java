package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.money.CreditAmounts;
import io.agentbilling.core.payment.AutoTopupMode;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.AutoTopupView;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.port.Transactions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Updates an org's auto top-up settings (API.md A8); admins only. Omitted fields keep their values and the merged
 * result is validated. Turning it on needs a saved card ({@code PAYMENT_METHOD_REQUIRED}) and starts the failure
 * count afresh. Runs under the org's account lock, like every writer of these settings, so an update never loses a
 * concurrent failure count. Thread-safe.
 */
public final class UpdateAutoTopup {
    private final Transactions transactions;
    private final AutoTopupPolicy policy;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param policy the rules that apply
     */
    public UpdateAutoTopup(Transactions transactions, AutoTopupPolicy policy) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** A change of an org's auto top-up settings; a field left null stays as it is. */
    public static final class Command {
        private final Caller caller;
        private final OrgId orgId;
        private final Boolean enabled;
        private final Long thresholdCents;
        private final Long topupAmountCents;
        private final AutoTopupMode mode;
        private final Long targetBalanceCents;
        private final Long monthlyCapCents;
        private final boolean clearMonthlyCap;

        private Command(Builder b) {
            this.mode = b.mode;
            this.targetBalanceCents = b.targetBalanceCents;
            this.monthlyCapCents = b.monthlyCapCents;
            this.clearMonthlyCap = b.clearMonthlyCap;
            this.caller = b.caller;
            this.orgId = b.orgId;
            this.enabled = b.enabled;
            this.thresholdCents = b.thresholdCents;
            this.topupAmountCents = b.topupAmountCents;
            Objects.requireNonNull(caller, "caller");
        }

        /**
         * A builder with every field unset (null, 0 or false); set fields by name, then build().
         */
        public static Builder builder() {
            return new Builder();
        }

        /**
         * The member asking; an admin of the org; required.
         *
         * @return the caller
         */
        public Caller caller() {
            return caller;
        }

        /**
         * The org; null = the caller's.
         *
         * @return the orgId
         */
        public OrgId orgId() {
            return orgId;
        }

        /**
         * Whether auto top-up is on; null = unchanged.
         *
         * @return the enabled
         */
        public Boolean enabled() {
            return enabled;
        }

        /**
         * The balance, in cents, below which a top-up starts; null = unchanged.
         *
         * @return the thresholdCents
         */
        public Long thresholdCents() {
            return thresholdCents;
        }

        /**
         * How much one auto top-up buys, in cents; null = unchanged.
         *
         * @return the topupAmountCents
         */
        public Long topupAmountCents() {
            return topupAmountCents;
        }

        /**
         * A fixed amount, or up to a target balance; null = unchanged.
         *
         * @return the mode
         */
        public AutoTopupMode mode() {
            return mode;
        }

        /**
         * The balance, in cents, a top-up brings the org back to in target mode; null = unchanged.
         *
         * @return the targetBalanceCents
         */
        public Long targetBalanceCents() {
            return targetBalanceCents;
        }

        /**
         * The most auto top-ups may charge per UTC month, in cents; null = unchanged (see {@link #clearMonthlyCap}).
         *
         * @return the monthlyCapCents
         */
        public Long monthlyCapCents() {
            return monthlyCapCents;
        }

        /**
         * Whether the monthly cap is removed.
         *
         * @return the clearMonthlyCap
         */
        public boolean clearMonthlyCap() {
            return clearMonthlyCap;
        }

        @Override
        public String toString() {
            return "UpdateAutoTopup.Command[" + "caller=" + caller + ", orgId=" + orgId + ", enabled=" + enabled
                    + ", thresholdCents=" + thresholdCents + ", topupAmountCents=" + topupAmountCents + "]";
        }

        /** Sets the fields of a {@link Command} by name. Not thread-safe. */
        public static final class Builder {
            private Caller caller;
            private OrgId orgId;
            private Boolean enabled;
            private Long thresholdCents;
            private Long topupAmountCents;
            private AutoTopupMode mode;
            private Long targetBalanceCents;
            private Long monthlyCapCents;
            private boolean clearMonthlyCap;

            private Builder() {
            }

            /**
             * Sets the mode: a fixed amount, or up to a target balance.
             *
             * @param mode the value
             * @return this builder
             */
            public Builder mode(AutoTopupMode mode) {
                this.mode = mode;
                return this;
            }

            /**
             * Sets the balance, in cents, a top-up brings the org back to in target mode.
             *
             * @param cents the value
             * @return this builder
             */
            public Builder targetBalanceCents(long cents) {
                this.targetBalanceCents = cents;
                return this;
            }

            /**
             * Sets the most auto top-ups may charge per UTC calendar month, in cents.
             *
             * @param cents the value
             * @return this builder
             */
            public Builder monthlyCapCents(long cents) {
                this.monthlyCapCents = cents;
                this.clearMonthlyCap = false;
                return this;
            }

            /**
             * Removes the monthly cap.
             *
             * @return this builder
             */
            public Builder clearMonthlyCap() {
                this.monthlyCapCents = null;
                this.clearMonthlyCap = true;
                return this;
            }

            /**
             * Sets the member asking; an admin of the org; required.
             *
             * @param caller the value
             * @return this builder
             */
            public Builder caller(Caller caller) {
                this.caller = caller;
                return this;
            }

            /**
             * Sets the org; null = the caller's.
             *
             * @param orgId the value
             * @return this builder
             */
            public Builder orgId(OrgId orgId) {
                this.orgId = orgId;
                return this;
            }

            /**
             * Sets whether auto top-up is on; null = unchanged.
             *
             * @param enabled the value
             * @return this builder
             */
            public Builder enabled(boolean enabled) {
                this.enabled = enabled;
                return this;
            }

            /**
             * Sets the balance, in cents, below which a top-up starts; null = unchanged.
             *
             * @param thresholdCents the value
             * @return this builder
             */
            public Builder thresholdCents(long thresholdCents) {
                this.thresholdCents = thresholdCents;
                return this;
            }

            /**
             * Sets how much one auto top-up buys, in cents; null = unchanged.
             *
             * @param topupAmountCents the value
             * @return this builder
             */
            public Builder topupAmountCents(long topupAmountCents) {
                this.topupAmountCents = topupAmountCents;
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
     * Merges the change into the org's settings and stores the result.
     *
     * @param command the change
     * @return the settings after it
     * @throws BillingException {@code FORBIDDEN} for a member who is not an admin, or another org than the caller's;
     *                          {@code NOT_FOUND} when the org does not exist; {@code BAD_REQUEST} naming the fields
     *                          when the merged settings are out of range; {@code PAYMENT_METHOD_REQUIRED} when
     *                          turning it on without a saved card
     */
    public AutoTopupView execute(Command command) {
        command.caller().requireAdmin();
        OrgId orgId = command.caller().resolveOrg(command.orgId());
        return transactions.inTransaction(stores -> {
            if (!PaymentOutcomes.lockOrg(stores, orgId)) {
                throw BillingException.notFound("organization");
            }
            AutoTopupSettings current = PaymentOutcomes.settingsOf(stores, orgId);
            boolean enabled = command.enabled() != null ? command.enabled() : current.enabled();
            long threshold = command.thresholdCents() != null ? command.thresholdCents() : current.thresholdCents();
            long amount = command.topupAmountCents() != null ? command.topupAmountCents() : current.topupAmountCents();
            AutoTopupMode mode = command.mode() != null ? command.mode() : current.mode();
            Long target = command.targetBalanceCents() != null ? command.targetBalanceCents()
                    : current.targetBalanceCents();
            Long cap = command.clearMonthlyCap() ? null
                    : command.monthlyCapCents() != null ? command.monthlyCapCents() : current.monthlyCapCents();
            validate(threshold, amount);
            validateAmountRule(mode, threshold, target, cap);
            boolean hasCard = stores.payments().profile(orgId).map(PaymentProfile::hasSavedPaymentMethod).orElse(false);
            if (enabled && !hasCard) {
                throw BillingException.of(BillingError.PAYMENT_METHOD_REQUIRED,
                        "auto top-up needs a saved card: complete a card top-up first");
            }
            AutoTopupSettings updated = current.withChanges(enabled, threshold, amount)
                    .withAmountRule(mode, target, cap);
            stores.payments().saveAutoTopupSettings(updated);
            return new AutoTopupView(updated, hasCard);
        });
    }

    private void validateAmountRule(AutoTopupMode mode, long thresholdCents, Long targetCents, Long capCents) {
        List<FieldIssue> issues = new ArrayList<>();
        if (targetCents != null && (targetCents < 1 || targetCents > policy.maxAmountCents())) {
            issues.add(new FieldIssue("targetBalanceCents", "must be between 1 and " + policy.maxAmountCents()));
        } else if (mode == AutoTopupMode.TARGET_BALANCE && targetCents == null) {
            issues.add(new FieldIssue("targetBalanceCents", "is required in target_balance mode"));
        } else if (mode == AutoTopupMode.TARGET_BALANCE && targetCents <= thresholdCents) {
            issues.add(new FieldIssue("targetBalanceCents", "must be above thresholdCents in target_balance mode"));
        }
        if (capCents != null && (capCents < 0 || capCents > CreditAmounts.MAX_CENTS)) {
            issues.add(new FieldIssue("monthlyCapCents", "must be between 0 and " + CreditAmounts.MAX_CENTS));
        }
        if (!issues.isEmpty()) {
            throw BillingException.invalid("invalid auto top-up settings", issues);
        }
    }

    private void validate(long thresholdCents, long topupAmountCents) {
        List<FieldIssue> issues = new ArrayList<>();
        if (thresholdCents < 0 || thresholdCents > policy.maxAmountCents()) {
            issues.add(new FieldIssue("thresholdCents", "must be between 0 and " + policy.maxAmountCents()));
        }
        if (topupAmountCents < AutoTopupPolicy.MIN_TOPUP_AMOUNT_CENTS || topupAmountCents > policy.maxAmountCents()) {
            issues.add(new FieldIssue("topupAmountCents", "must be between "
                    + AutoTopupPolicy.MIN_TOPUP_AMOUNT_CENTS + " and " + policy.maxAmountCents()));
        }
        if (!issues.isEmpty()) {
            throw BillingException.invalid("invalid auto top-up settings", issues);
        }
    }
}
