package io.agentbilling.client.billing;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A webhook endpoint just registered ({@code POST /v1/billing/webhook-endpoints}), with its signing secret: the only
 * time the secret is shown. Verify each delivery's {@code Billing-Signature: t=<unix>,v1=<hex>} header: {@code v1}
 * is the HMAC-SHA256, keyed with the whole secret, of {@code "<t>.<raw body>"}.
 *
 * @param secret   {@code whsec_…}; never printed by {@link #toString()}
 * @param replayed the idempotency key had registered this endpoint before ({@code Idempotent-Replayed: true})
 */
public record CreatedWebhookEndpoint(UUID id, UUID orgId, String url, List<String> events, Instant createdAt,
                                     String secret, boolean replayed) {
    @Override
    public String toString() {
        return "CreatedWebhookEndpoint[id=" + id + ", url=" + url + ", events=" + events + ", replayed=" + replayed
                + "]";
    }
}
