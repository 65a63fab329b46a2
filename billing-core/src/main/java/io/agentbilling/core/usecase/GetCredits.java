package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.LedgerTotals;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import java.util.Objects;

/** The credit balance and totals of an org (API.md A2), read from the committed account row without locking. */
public final class GetCredits {
    private final Transactions transactions;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     */
    public GetCredits(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions);
    }

    public record Result(OrgId orgId, Credits balance, LedgerTotals totals, boolean freeCreditsUsed,
                         Credits grantedRemaining) {
        /**
         * Spendable now; equal to the balance while the engine holds no reservations.
         */
        public Credits available() {
            return balance;
        }
    }

    /**
     * The balance a member asks for.
     *
     * @param caller the member asking
     * @param requestedOrg the org; null = the caller's
     * @return the balance and totals
     * @throws BillingException {@code FORBIDDEN} for another org than the caller's; {@code NOT_FOUND} when the org
     *                          does not exist
     */
    public Result execute(Caller caller, OrgId requestedOrg) {
        OrgId orgId = caller.resolveOrg(requestedOrg);
        return forOrg(orgId);
    }

    /**
     * For trusted callers (internal endpoints) that name the org themselves.
     *
     * @param orgId the org
     * @return the balance and totals
     * @throws BillingException {@code NOT_FOUND} when the org does not exist
     */
    public Result forOrg(OrgId orgId) {
        Account account = transactions.read(stores -> stores.ledger().findAccount(orgId))
                .orElseThrow(() -> BillingException.notFound("organization"));
        return new Result(orgId, account.balance(), account.totals(), account.freeCreditsUsed(), account.granted());
    }
}
