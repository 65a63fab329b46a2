package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
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

    public UpdateAutoTopup(Transactions transactions, AutoTopupPolicy policy) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Null fields are left as they are. {@code orgId} null = the caller's org. */
    public record Command(Caller caller, OrgId orgId, Boolean enabled, Long thresholdCents, Long topupAmountCents) {
        public Command {
            Objects.requireNonNull(caller, "caller");
        }
    }

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
            validate(threshold, amount);
            boolean hasCard = stores.payments().profile(orgId).map(PaymentProfile::hasSavedPaymentMethod).orElse(false);
            if (enabled && !hasCard) {
                throw BillingException.of(BillingError.PAYMENT_METHOD_REQUIRED,
                        "auto top-up needs a saved card: complete a card top-up first");
            }
            AutoTopupSettings updated = current.withChanges(enabled, threshold, amount);
            stores.payments().saveAutoTopupSettings(updated);
            return new AutoTopupView(updated, hasCard);
        });
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
