package io.agentbilling.client.examples;

import io.agentbilling.client.BillingServiceClient;
import io.agentbilling.client.UsageReporter;
import io.agentbilling.client.service.ModelUsage;
import java.net.URI;
import java.nio.file.Path;
import java.util.UUID;

/** One per platform service: reports each model call the moment it is measured. */
public final class UsageBilling implements AutoCloseable {
    private final UsageReporter reporter;

    public UsageBilling(URI billingUrl, String internalSecret, Path spoolDirectory) {
        BillingServiceClient billing = BillingServiceClient.create(billingUrl, internalSecret);
        reporter = UsageReporter.create(billing, spoolDirectory);
    }

    /** Returns once the event is on disk; it is settled in the background, exactly once, even across a kill -9. */
    public void modelCallFinished(UUID orgId, UUID memberId, String model, long inputTokens, long outputTokens,
                                  String callId) {
        reporter.report(ModelUsage.of(orgId, memberId, model, inputTokens, outputTokens).withIdempotencyKey(callId));
    }

    @Override
    public void close() {
        reporter.close(); // sends what it can; anything left stays spooled for the next start
    }
}
