package io.agentbilling.client.service;

import java.util.Objects;
import java.util.UUID;

/**
 * A resource-level charge, e.g. code execution ({@code POST /v1/internal/billing/resource-charges}; batch type
 * {@code resource}). Priced by the server's catalog unless {@code amountCents} is given.
 *
 * @param unit        the unit {@code quantity} counts (the catalog's unit for the resource, unless priced here)
 * @param amountCents the charge when the caller prices it; null = the catalog's price
 */
public record ResourceCharge(UUID orgId, UUID memberId, String resource, long quantity, String unit, Long amountCents,
                             String description, String referenceId, String idempotencyKey) implements UsageEvent {
    public static final String TYPE = "resource";

    public ResourceCharge {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(unit, "unit");
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
                idempotencyKey);
    }

    /**
     * A copy with another amount cents.
     *
     * @param cents the amount in cents
     */
    public ResourceCharge withAmountCents(long cents) {
        return new ResourceCharge(orgId, memberId, resource, quantity, unit, cents, description, referenceId,
                idempotencyKey);
    }

    /**
     * A copy with another description.
     */
    public ResourceCharge withDescription(String text) {
        return new ResourceCharge(orgId, memberId, resource, quantity, unit, amountCents, text, referenceId,
                idempotencyKey);
    }

    /**
     * A copy with another reference id.
     */
    public ResourceCharge withReferenceId(String reference) {
        return new ResourceCharge(orgId, memberId, resource, quantity, unit, amountCents, description, reference,
                idempotencyKey);
    }

    @Override
    public ResourceCharge withIdempotencyKey(String key) {
        return new ResourceCharge(orgId, memberId, resource, quantity, unit, amountCents, description, referenceId,
                key);
    }

    @Override
    public String batchType() {
        return TYPE;
    }
}
