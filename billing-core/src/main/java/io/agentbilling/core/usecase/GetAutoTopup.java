package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.AutoTopupView;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.port.Transactions;
import java.util.Objects;

/** Reads an org's auto top-up settings (API.md A7); any member may. Defaults (off) until an admin sets them. */
public final class GetAutoTopup {
    private final Transactions transactions;

    public GetAutoTopup(Transactions transactions) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
    }

    /** @param orgId null = the caller's org */
    public record Command(Caller caller, OrgId orgId) {
        public Command {
            Objects.requireNonNull(caller, "caller");
        }
    }

    public AutoTopupView execute(Command command) {
        OrgId orgId = command.caller().resolveOrg(command.orgId());
        return transactions.read(stores -> new AutoTopupView(PaymentOutcomes.settingsOf(stores, orgId),
                stores.payments().profile(orgId).map(PaymentProfile::hasSavedPaymentMethod).orElse(false)));
    }
}
