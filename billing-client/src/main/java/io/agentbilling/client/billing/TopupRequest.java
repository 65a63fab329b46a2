package io.agentbilling.client.billing;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.UUID;

/**
 * A card top-up to start ({@code POST /v1/billing/topup}, admins only).
 *
 * @param successUrl     where checkout returns after paying (an allowed origin); null = the server's page
 * @param cancelUrl      where checkout returns when cancelled; null = the server's page
 * @param idempotencyKey sent as {@code Idempotency-Key}: a retry returns the same session; null = one generated for
 *                       this call (and reused on its retries)
 */
public record TopupRequest(long amountCents, UUID orgId, String successUrl, String cancelUrl,
                           @JsonIgnore String idempotencyKey) {

    /**
     * Creates one of the given values.
     */
    public static TopupRequest of(long amountCents) {
        return new TopupRequest(amountCents, null, null, null, null);
    }

    /**
     * A copy with another organization id.
     *
     * @param org the organization
     */
    public TopupRequest withOrgId(UUID org) {
        return new TopupRequest(amountCents, org, successUrl, cancelUrl, idempotencyKey);
    }

    /**
     * A copy with another redirects.
     */
    public TopupRequest withRedirects(String success, String cancel) {
        return new TopupRequest(amountCents, orgId, success, cancel, idempotencyKey);
    }

    /**
     * A copy with another idempotency key.
     */
    public TopupRequest withIdempotencyKey(String key) {
        return new TopupRequest(amountCents, orgId, successUrl, cancelUrl, key);
    }
}
