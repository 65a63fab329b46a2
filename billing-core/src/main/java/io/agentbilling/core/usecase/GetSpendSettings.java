package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.SpendSettings;
import io.agentbilling.core.spendcontrol.SpendReader;
import java.util.Objects;

/** An org's spend-control settings ({@code GET /v1/billing/settings}); any member may read them. Thread-safe. */
public final class GetSpendSettings {
    private final Transactions transactions;

    public GetSpendSettings(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /**
     * @throws BillingException {@code FORBIDDEN} for another org than the caller's; {@code NOT_FOUND} when the org
     *                          does not exist
     */
    public SpendSettings execute(Caller caller, OrgId requestedOrg) {
        return forOrg(caller.resolveOrg(requestedOrg));
    }

    /** For trusted callers. */
    public SpendSettings forOrg(OrgId orgId) {
        return transactions.read(stores -> {
            if (stores.directory().findOrg(orgId).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            return SpendReader.settings(stores, orgId);
        });
    }
}
