package io.agentbilling.client.examples;

import io.agentbilling.client.BillingClientException;
import io.agentbilling.client.BillingServiceClient;
import io.agentbilling.client.UnprocessableException;
import io.agentbilling.client.service.Charge;
import io.agentbilling.client.service.CreateOrg;
import io.agentbilling.client.service.CreatedApiKey;
import io.agentbilling.client.service.Member;
import io.agentbilling.client.service.ModelUsage;
import io.agentbilling.client.service.NewApiKey;
import io.agentbilling.client.service.Org;
import io.agentbilling.client.service.Role;
import java.net.URI;
import java.util.UUID;

/** A platform service that onboards customers, gates agent runs on credit and settles each run's model call. */
public final class AgentRuns {
    private final BillingServiceClient billing;

    public AgentRuns(URI billingUrl, String internalSecret) {
        billing = BillingServiceClient.create(billingUrl, internalSecret);
    }

    /** A new customer: an org on the pro plan with $10 to start, its admin, and the admin's API key (shown once). */
    public CreatedApiKey onboard(String name, String adminEmail) {
        Org org = billing.createOrg(CreateOrg.of(name).withPlan("pro").withSignupGrantCents(1_000)
                .withIdempotencyKey("signup-" + adminEmail));
        Member admin = billing.addMember(org.id(), adminEmail, Role.ADMIN);
        return billing.createApiKey(org.id(), NewApiKey.of(admin.id(), "default"));
    }

    /** Runs an agent step if the org has credit, and returns what its model call cost, in micros. */
    public long runStep(UUID orgId, UUID memberId, String stepId) {
        if (!billing.creditCheck(orgId, 5).allowed()) {
            throw new IllegalStateException("the organization is out of credit");
        }
        long inputTokens = 1_200; // ... call the model; count the tokens it used ...
        long outputTokens = 300;
        try {
            Charge charge = billing.settleModelUsage(ModelUsage.of(orgId, memberId, "gpt-5", inputTokens,
                    outputTokens).withIdempotencyKey(stepId));
            return charge.chargedMicros(); // charge.replayed(): this step had been settled before
        } catch (UnprocessableException e) {
            throw new IllegalArgumentException("not billable: " + e.code() + " (request " + e.requestId() + ")", e);
        } catch (BillingClientException e) {
            // Retries are spent. If e.outcomeUnknown(), the charge may have landed: settle again later with the
            // same stepId (or hand it to a UsageReporter) and it is charged once.
            throw e;
        }
    }
}
