package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.payment.AutoTopupView;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.pricing.Plan;
import io.agentbilling.core.usage.DayRange;
import io.agentbilling.core.usage.UsagePeriod;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The plan and credit summary of an org (API.md A1): its plan, balance and totals, the current billing period, the
 * plan's storage quota and sign-up credit, and the auto top-up summary — one consistent read.
 */
public final class GetPlanSummary {
    private final Transactions transactions;
    private final PriceBook prices;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param prices the prices in force
     * @param clock the clock that tells the time
     */
    public GetPlanSummary(Transactions transactions, PriceBook prices, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions);
        this.prices = Objects.requireNonNull(prices);
        this.clock = Objects.requireNonNull(clock);
    }

    public record Result(Org org, Plan plan, Account account, DayRange currentPeriod, AutoTopupView autoTopup) {}

    /**
     * The plan summary a member asks for.
     *
     * @param caller       the member asking
     * @param requestedOrg the org; null = the caller's
     * @return the summary
     * @throws BillingException {@code FORBIDDEN} for another org than the caller's; {@code NOT_FOUND} when the org
     *                          does not exist; {@code INTERNAL} when the org's plan is missing from the catalog
     */
    public Result execute(Caller caller, OrgId requestedOrg) {
        return forOrg(caller.resolveOrg(requestedOrg));
    }

    /**
     * An org's plan summary, for a caller that is not a member of it.
     *
     * @param orgId the org
     * @return the summary
     * @throws BillingException {@code NOT_FOUND} when the org does not exist; {@code INTERNAL} when the org's plan is
     *                          missing from the catalog
     */
    public Result forOrg(OrgId orgId) {
        Objects.requireNonNull(orgId, "orgId");
        return transactions.read(stores -> {
            Org org = stores.directory().findOrg(orgId).orElseThrow(() -> BillingException.notFound("organization"));
            Account account = stores.ledger().findAccount(orgId).orElseThrow(() -> BillingException.notFound("organization"));
            Plan plan = prices.plan(org.plan()).orElseThrow(() -> BillingException.of(BillingError.INTERNAL,
                    "the organization's plan " + org.plan() + " is missing from the price catalog"));
            DayRange period = UsagePeriod.CURRENT.range(clock.instant(), LocalDate.ofInstant(org.createdAt(), ZoneOffset.UTC));
            AutoTopupView autoTopup = new AutoTopupView(PaymentOutcomes.settingsOf(stores, orgId),
                    stores.payments().profile(orgId).map(PaymentProfile::hasSavedPaymentMethod).orElse(false));
            return new Result(org, plan, account, period, autoTopup);
        });
    }
}
