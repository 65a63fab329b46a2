package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.LedgerTotals;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.Admission;
import java.time.Clock;
import java.util.Objects;

/**
 * The credit balance and totals of an org (API.md A2), and what its active holds reserve, read in one snapshot from
 * the committed account row and holds, without locking.
 */
public final class GetCredits {
    private final Transactions transactions;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock        which holds have expired
     */
    public GetCredits(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param held what the org's active holds reserve */
    public record Result(OrgId orgId, Credits balance, LedgerTotals totals, boolean freeCreditsUsed,
                         Credits grantedRemaining, Credits held) {
        public Result {
            Objects.requireNonNull(held, "held");
        }

        /** Spendable now: the balance less what active holds reserve. */
        public Credits available() {
            return Admission.saturatingPlus(balance, held.negate());
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
        return transactions.read(stores -> {
            Account account = stores.ledger().findAccount(orgId)
                    .orElseThrow(() -> BillingException.notFound("organization"));
            Credits held = stores.spend().held(orgId, null, null, clock.instant()).byOrg();
            return new Result(orgId, account.balance(), account.totals(), account.freeCreditsUsed(),
                    account.granted(), held);
        });
    }
}
