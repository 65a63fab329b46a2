package io.agentbilling.core.usecase;

import io.agentbilling.core.money.CreditAmounts;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import java.util.Objects;

/**
 * The credit gate platform services ask before starting billable work: allowed when the org's committed balance
 * covers the estimate (or, without an estimate, is positive). Reads without locks, so it never waits on settlement.
 */
public final class CheckCredit {
    public static final String INSUFFICIENT_CREDITS = "insufficient_credits";

    private final Transactions transactions;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     */
    public CheckCredit(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions);
    }

    /**
     * What to check: whether the balance is positive, or whether it covers an estimate.
     *
     * @param orgId    the org
     * @param estimate what the work is expected to cost; null = is the balance positive
     */
    public record Command(OrgId orgId, Credits estimate) {
        /**
         * @param estimate what the work is expected to cost; null = is the balance positive
         * @param orgId the org
         * @throws BillingException {@code BAD_REQUEST} naming {@code estimatedCents} for a negative estimate
         */
        public Command {
            Objects.requireNonNull(orgId, "orgId");
            if (estimate != null && estimate.isNegative()) {
                throw BillingException.invalid("estimatedCents", "must be >= 0");
            }
        }

        /**
         * Is the org's balance positive?
         *
         * @param orgId the org
         * @return a check without an estimate
         */
        public static Command balanceOf(OrgId orgId) {
            return new Command(orgId, null);
        }

        /**
         * Does the org's balance cover {@code cents}?
         *
         * @param orgId the org
         * @param cents the estimate in cents, 0 to one billion dollars
         * @return a check of the estimate
         * @throws BillingException {@code BAD_REQUEST} naming {@code estimatedCents} when it is out of range
         */
        public static Command estimatedCents(OrgId orgId, long cents) {
            return new Command(orgId, CreditAmounts.cents("estimatedCents", cents, CreditAmounts.Sign.NON_NEGATIVE));
        }
    }

    /** @param reason null when allowed */
    public record Result(boolean allowed, Credits balance, Credits available, String reason) {}

    /**
     * One statement, no transaction around it (it is the hottest read there is): the balance as last committed.
     *
     * @param command the org and the estimate
     * @return the answer, the balance and what is available
     * @throws BillingException {@code NOT_FOUND} when the org does not exist
     */
    public Result execute(Command command) {
        Credits balance = transactions.readOne(stores -> stores.ledger().findBalance(command.orgId()))
                .orElseThrow(() -> BillingException.notFound("organization"));
        Credits available = balance;
        boolean allowed = command.estimate() == null ? available.isPositive() : available.isAtLeast(command.estimate());
        return new Result(allowed, balance, available, allowed ? null : INSUFFICIENT_CREDITS);
    }
}
