package io.agentbilling.client.service;

import java.util.Objects;
import java.util.UUID;

/**
 * A debit of an amount the caller computed ({@code POST /v1/internal/billing/deductions}; batch type
 * {@code deduction}): exactly one of {@code amountCents} and {@code amountMicros}.
 *
 * @param apiKeyId the API key the work went through: the charge counts toward its caps; null for none
 * @param holdId   a hold to capture: the actual amount is charged and the rest released; null for none
 */
public record Deduction(UUID orgId, UUID memberId, Long amountCents, Long amountMicros, String resource,
                        String description, String referenceId, String idempotencyKey, UUID apiKeyId, UUID holdId)
        implements UsageEvent {
    public static final String TYPE = "deduction";

    public Deduction {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(resource, "resource");
        if ((amountCents == null) == (amountMicros == null)) {
            throw new IllegalArgumentException("give exactly one of amountCents and amountMicros");
        }
    }

    /** A debit to no key capturing no hold, as before spend controls. */
    public Deduction(UUID orgId, UUID memberId, Long amountCents, Long amountMicros, String resource,
                     String description, String referenceId, String idempotencyKey) {
        this(orgId, memberId, amountCents, amountMicros, resource, description, referenceId, idempotencyKey, null,
                null);
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
                idempotencyKey, apiKeyId, holdId);
    }

    /**
     * A copy with another description.
     */
    public Deduction withDescription(String text) {
        return new Deduction(orgId, memberId, amountCents, amountMicros, resource, text, referenceId, idempotencyKey,
                apiKeyId, holdId);
    }

    /**
     * A copy with another reference id.
     */
    public Deduction withReferenceId(String reference) {
        return new Deduction(orgId, memberId, amountCents, amountMicros, resource, description, reference,
                idempotencyKey, apiKeyId, holdId);
    }

    @Override
    public Deduction withIdempotencyKey(String key) {
        return new Deduction(orgId, memberId, amountCents, amountMicros, resource, description, referenceId, key,
                apiKeyId, holdId);
    }

    @Override
    public Deduction withApiKeyId(UUID key) {
        return new Deduction(orgId, memberId, amountCents, amountMicros, resource, description, referenceId,
                idempotencyKey, key, holdId);
    }

    @Override
    public Deduction withHoldId(UUID hold) {
        return new Deduction(orgId, memberId, amountCents, amountMicros, resource, description, referenceId,
                idempotencyKey, apiKeyId, hold);
    }

    @Override
    public String batchType() {
        return TYPE;
    }
}
