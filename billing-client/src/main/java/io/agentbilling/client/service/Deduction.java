package io.agentbilling.client.service;

import java.util.Objects;
import java.util.UUID;

/**
 * A debit of an amount the caller computed ({@code POST /v1/internal/billing/deductions}; batch type
 * {@code deduction}): exactly one of {@code amountCents} and {@code amountMicros}.
 */
public record Deduction(UUID orgId, UUID memberId, Long amountCents, Long amountMicros, String resource,
                        String description, String referenceId, String idempotencyKey) implements UsageEvent {
    public static final String TYPE = "deduction";

    public Deduction {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(resource, "resource");
        if ((amountCents == null) == (amountMicros == null)) {
            throw new IllegalArgumentException("give exactly one of amountCents and amountMicros");
        }
    }

    /**
     * @param orgId the organization
     * @param resource what was charged
     */
    public static Deduction ofCents(UUID orgId, long amountCents, String resource) {
        return new Deduction(orgId, null, amountCents, null, resource, null, null, null);
    }

    /**
     * @param amountMicros millionths of a cent
     * @param orgId the organization
     * @param resource what was charged
     */
    public static Deduction ofMicros(UUID orgId, long amountMicros, String resource) {
        return new Deduction(orgId, null, null, amountMicros, resource, null, null, null);
    }

    /**
     * A copy with another member id.
     */
    public Deduction withMemberId(UUID member) {
        return new Deduction(orgId, member, amountCents, amountMicros, resource, description, referenceId,
                idempotencyKey);
    }

    /**
     * A copy with another description.
     */
    public Deduction withDescription(String text) {
        return new Deduction(orgId, memberId, amountCents, amountMicros, resource, text, referenceId, idempotencyKey);
    }

    /**
     * A copy with another reference id.
     */
    public Deduction withReferenceId(String reference) {
        return new Deduction(orgId, memberId, amountCents, amountMicros, resource, description, reference,
                idempotencyKey);
    }

    @Override
    public Deduction withIdempotencyKey(String key) {
        return new Deduction(orgId, memberId, amountCents, amountMicros, resource, description, referenceId, key);
    }

    @Override
    public String batchType() {
        return TYPE;
    }
}
