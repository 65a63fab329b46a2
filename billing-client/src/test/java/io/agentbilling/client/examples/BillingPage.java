package io.agentbilling.client.examples;

import io.agentbilling.client.BillingClient;
import io.agentbilling.client.PermissionDeniedException;
import io.agentbilling.client.billing.Plan;
import io.agentbilling.client.billing.Topup;
import io.agentbilling.client.billing.UsagePeriod;
import io.agentbilling.client.billing.UsageReport;
import java.io.PrintStream;
import java.net.URI;

/** What a member sees of their organization's billing, with their API key. */
public final class BillingPage {
    private BillingPage() {
    }

    public static void print(URI billingUrl, String apiKey, PrintStream out) {
        BillingClient billing = BillingClient.create(billingUrl, apiKey);
        Plan plan = billing.plan();
        out.printf("%s plan, balance %d cents%n", plan.planName(), plan.balanceCents());
        UsageReport usage = billing.myUsage(UsagePeriod.LAST_30_DAYS, false);
        out.printf("last 30 days: %d tokens, %d cents%n", usage.usage().tokens().total(),
                usage.usage().totalCostCents());
        billing.creditHistory().limit(10)
                .forEach(entry -> out.printf("%s %+d cents%n", entry.type(), entry.amountCents()));
        try {
            Topup topup = billing.topup(2_500, "https://app.example.com/billing/done", null);
            out.println("add $25 at " + topup.checkoutUrl());
        } catch (PermissionDeniedException e) {
            out.println("ask an admin to add credit");
        }
    }
}
