package io.agentbilling.client.service;

import java.util.Objects;
import java.util.UUID;

/**
 * A resource-level charge, e.g. code execution ({@code POST /v1/internal/billing/resource-charges}; batch type
 * {@code resource}). Priced by the server's catalog unless {@code amountCents} is given.
 *
 * @param unit        the unit {@code quantity} counts (the catalog's unit for the resource, unless priced here)
 * @param amountCents the charge when the caller prices it; null = the catalog's price
 * @param apiKeyId    the API key the work went through: the charge counts toward its caps; null for none
 * @param holdId      a hold to capture: the actual charge is made and the rest released; null for none
 */
public record ResourceCharge(UUID orgId, UUID memberId, String resource, long quantity, String unit, Long amountCents,
                             String description, String referenceId, String idempotencyKey, UUID apiKeyId,
                             UUID holdId) implements UsageEvent {
    public static final String TYPE = "resource";

    public ResourceCharge {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(unit, "unit");
    }

    /** A charge to no key capturing no hold, as before spend controls. */
    public ResourceCharge(UUID orgId, UUID memberId, String resource, long quantity, String unit, Long amountCents,
                          String description, String referenceId, String idempotencyKey) {
        this(orgId, memberId, resource, quantity, unit, amountCents, description, referenceId, idempotencyKey, null,
                null);
    }

    /**
     * Creates one of the given values.
     *
     * @param orgId the organization
     * @param resource what was charged
     */
    public static ResourceCharge of(UUID orgId, String resource, long quantity, String unit) {
        return new ResourceCharge(orgId, null, resource, quantity, unit, null, null, null, null);
    }

    /**
     * A copy with another member id.
     */
    public ResourceCharge withMemberId(UUID member) {
        return new ResourceCharge(orgId, member, resource, quantity, unit, amountCents, description, referenceId,
                idempotencyKey, apiKeyId, holdId);
    }

    /**
     * A copy with another amount cents.
     *
     * @param cents the amount in cents
     */
    public ResourceCharge withAmountCents(long cents) {
        return new ResourceCharge(orgId, memberId, resource, quantity, unit, cents, description, referenceId,
                idempotencyKey, apiKeyId, holdId);
    }

    /**
     * A copy with another description.
     */
    public ResourceCharge withDescription(String text) {
        return new ResourceCharge(orgId, memberId, resource, quantity, unit, amountCents, text, referenceId,
                idempotencyKey, apiKeyId, holdId);
    }

    /**
     * A copy with another reference id.
     */
    public ResourceCharge withReferenceId(String reference) {
        return new ResourceCharge(orgId, memberId, resource, quantity, unit, amountCents, description, reference,
                idempotencyKey, apiKeyId, holdId);
    }

    @Override
    public ResourceCharge withIdempotencyKey(String key) {
        return new ResourceCharge(orgId, memberId, resource, quantity, unit, amountCents, description, referenceId,
                key, apiKeyId, holdId);
    }

    @Override
    public ResourceCharge withApiKeyId(UUID key) {
        return new ResourceCharge(orgId, memberId, resource, quantity, unit, amountCents, description, referenceId,
                idempotencyKey, key, holdId);
    }

    @Override
    public ResourceCharge withHoldId(UUID hold) {
        return new ResourceCharge(orgId, memberId, resource, quantity, unit, amountCents, description, referenceId,
                idempotencyKey, apiKeyId, hold);
    }

    @Override
    public String batchType() {
        return TYPE;
    }
}
