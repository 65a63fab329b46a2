package io.agentbilling.client.billing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook endpoint of the organization ({@code GET /v1/billing/webhook-endpoints}); its secret is shown only
 * when it is created ({@link CreatedWebhookEndpoint}).
 *
 * @param events    the event types sent to it ({@code balance.low}, {@code hold.expired}, …)
 * @param deletedAt when it was deleted; null while it is live
 */
public record WebhookEndpoint(UUID id, UUID orgId, String url, List<String> events, Instant createdAt,
                              Instant deletedAt) {
}
