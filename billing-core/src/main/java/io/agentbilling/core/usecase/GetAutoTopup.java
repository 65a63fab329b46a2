package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.AutoTopupView;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.port.Transactions;
import java.util.Objects;

/** Reads an org's auto top-up settings (API.md A7); any member may. Defaults (off) until an admin sets them. */
public final class GetAutoTopup {
    private final Transactions transactions;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     */
    public GetAutoTopup(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /** @param orgId null = the caller's org */
    public record Command(Caller caller, OrgId orgId) {
        /**
         * @param orgId null = the caller's org
         */
        public Command {
            Objects.requireNonNull(caller, "caller");
        }
    }

    /**
     * The settings a member asks for.
     *
     * @param command who asks, and which org
     * @return the settings
     * @throws BillingException {@code FORBIDDEN} for another org than the caller's
     */
    public AutoTopupView execute(Command command) {
        OrgId orgId = command.caller().resolveOrg(command.orgId());
        return transactions.read(stores -> view(stores, orgId));
    }

    /**
     * An org's settings, for a caller that is not a member of it.
     *
     * @param orgId the org
     * @return the settings
     * @throws BillingException {@code NOT_FOUND} when the org does not exist
     */
    public AutoTopupView forOrg(OrgId orgId) {
        Objects.requireNonNull(orgId, "orgId");
        return transactions.read(stores -> {
            if (stores.directory().findOrg(orgId).isEmpty()) {
                throw BillingException.notFound("organization");
            }
            return view(stores, orgId);
        });
    }

    private static AutoTopupView view(Stores stores, OrgId orgId) {
        return new AutoTopupView(PaymentOutcomes.settingsOf(stores, orgId),
                stores.payments().profile(orgId).map(PaymentProfile::hasSavedPaymentMethod).orElse(false));
    }
}
