package io.agentbilling.client.examples;

import io.agentbilling.client.BillingServiceClient;
import io.agentbilling.client.InsufficientCreditException;
import io.agentbilling.client.service.Hold;
import io.agentbilling.client.service.HoldRequest;
import io.agentbilling.client.service.LimitKind;
import io.agentbilling.client.service.ModelUsage;
import java.net.URI;
import java.util.UUID;

/** Agent runs admitted by a hold on their estimate, then charged their actual cost through the member's API key. */
public final class HeldRuns {
    private static final long ESTIMATE_CENTS = 50;

    private final BillingServiceClient billing;

    public HeldRuns(URI billingUrl, String internalSecret) {
        billing = BillingServiceClient.create(billingUrl, internalSecret);
    }

    /**
     * Reserves the run's estimate under every limit at once (the org's credit, the member's budget, the key's caps),
     * runs it, and charges what it really cost by capturing the hold. Returns the limit that refused the run, which
     * then did not start, or null when it ran. A retry with the same runId holds and charges nothing twice.
     */
    public LimitKind run(UUID orgId, UUID memberId, UUID apiKeyId, String runId) {
        Hold hold;
        try {
            hold = billing.placeHold(HoldRequest.of(orgId, ESTIMATE_CENTS, 600).forMember(memberId)
                    .throughKey(apiKeyId).withIdempotencyKey("hold-" + runId));
        } catch (InsufficientCreditException e) {
            return e.limitedBy(); // ORG_BALANCE, MEMBER_DAILY, MEMBER_MONTHLY, KEY_MONTHLY or KEY_LIFETIME
        }
        long inputTokens;
        long outputTokens;
        try {
            inputTokens = 120_000; // ... call the model; count the tokens it used ...
            outputTokens = 30_000;
        } catch (RuntimeException modelCallFailed) {
            billing.releaseHold(hold.holdId()); // nothing to charge: give the reservation back now
            throw modelCallFailed;
        }
        // Captures the hold: the actual cost is charged (even above the estimate) and the rest released at once.
        billing.settleModelUsage(ModelUsage.of(orgId, memberId, "gpt-5", inputTokens, outputTokens)
                .withApiKeyId(apiKeyId).withHoldId(hold.holdId()).withIdempotencyKey(runId));
        return null;
    }
}
