package io.agentbilling.http.server;

import io.agentbilling.http.server.checkout.LocalCheckoutRoutes;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.core.Billing;
import io.agentbilling.core.SpendControls;
import io.agentbilling.http.auth.SessionCookie;
import io.agentbilling.http.pages.PageRoutes;
import io.agentbilling.http.pages.SessionRoutes;
import io.agentbilling.http.routes.internal.HoldRoutes;
import io.agentbilling.http.routes.internal.InternalBillingRoutes;
import io.agentbilling.http.routes.internal.InternalOrgRoutes;
import io.agentbilling.http.routes.internal.LedgerOperatorRoutes;
import io.agentbilling.http.routes.internal.SandboxRuntimeRoutes;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.billing.PlanAndCreditRoutes;
import io.agentbilling.http.routes.billing.SpendControlRoutes;
import io.agentbilling.http.routes.billing.StripeWebhookRoutes;
import io.agentbilling.http.routes.billing.TopupRoutes;
import io.agentbilling.http.routes.billing.UsageRoutes;
import io.agentbilling.http.routes.billing.WebhookEndpointRoutes;
import java.util.ArrayList;
import java.util.List;

/** Every route group of the API, built from the wired engine. */
final class RouteGroups {
    private RouteGroups() {}

    static List<RouteGroup> all(Billing billing, ServerConfig config, PaymentWiring payments) {
        List<RouteGroup> groups = new ArrayList<>();
        groups.add(new PlanAndCreditRoutes(billing.getPlanSummary(), billing.getCredits(), billing.getCreditHistory()));
        groups.add(new UsageRoutes(billing.getUsageReport()));
        SpendControls spend = billing.spendControls();
        groups.add(new SpendControlRoutes(spend.getBudgets(), spend.setMemberBudget(), spend.getApiKeyCaps(),
                spend.getSpendSettings(), spend.updateSpendSettings()));
        groups.add(new WebhookEndpointRoutes(billing.webhooks().createEndpoint(), billing.webhooks().endpoints()));
        groups.add(new TopupRoutes(billing.startTopup(), billing.verifyCheckout(), billing.getAutoTopup(),
                billing.updateAutoTopup()));
        groups.add(new StripeWebhookRoutes(billing.paymentGateway(), billing.handlePaymentEvent()));
        groups.add(new PageRoutes());
        groups.add(new SessionRoutes(billing.signIn(), billing.authenticateSession(), billing.signOut(),
                SessionCookie.forPublicUrl(config.http().publicUrl())));
        if (payments.local()) {
            groups.add(new LocalCheckoutRoutes(payments.localCheckout(), billing.handlePaymentEvent()));
        }
        groups.add(InternalBillingRoutes.of(billing));
        groups.add(new HoldRoutes(spend.placeHold(), spend.getHold(), spend.releaseHold()));
        groups.add(SandboxRuntimeRoutes.of(billing));
        groups.add(InternalOrgRoutes.of(billing));
        groups.add(new LedgerOperatorRoutes(billing.verifyLedger()));
        return groups;
    }
}
