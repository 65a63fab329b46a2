package io.agentbilling.core.usecase;

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

    public CheckCredit(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions);
    }

    /** @param estimate null = no estimate */
    public record Command(OrgId orgId, Credits estimate) {
        public Command {
            Objects.requireNonNull(orgId, "orgId");
            if (estimate != null && estimate.isNegative()) {
                throw BillingException.invalid("estimatedCents", "must be >= 0");
            }
        }
    }

    /** @param reason null when allowed */
    public record Result(boolean allowed, Credits balance, Credits available, String reason) {}

    /** One statement, no transaction around it (it is the hottest read there is): the balance as last committed. */
    public Result execute(Command command) {
        Credits balance = transactions.readOne(stores -> stores.ledger().findBalance(command.orgId()))
                .orElseThrow(() -> BillingException.notFound("organization"));
        Credits available = balance;
        boolean allowed = command.estimate() == null ? available.isPositive() : available.isAtLeast(command.estimate());
        return new Result(allowed, balance, available, allowed ? null : INSUFFICIENT_CREDITS);
    }
}
