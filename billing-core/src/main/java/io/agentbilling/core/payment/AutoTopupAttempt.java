package io.agentbilling.core.payment;

import io.agentbilling.core.access.OrgId;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One auto top-up: created PENDING inside the posting transaction that crossed the threshold, claimed (CHARGING) by
 * the worker, charged off-session with the idempotency key {@link #paymentIdempotencyKey()}, then SUCCEEDED or
 * FAILED (or PROCESSING until the provider's webhook settles it). At most one attempt per org is in flight.
 *
 * @param customerId       the customer charged, fixed at the first claim so every retry sends the same request
 * @param paymentMethodId  the card charged, fixed at the first claim for the same reason
 * @param providerRetries  how many times the provider could not be reached for this attempt
 * @param nextAttemptAt    when a PENDING attempt may next be charged (backoff after a provider error)
 * @param claimedAt        when the worker last claimed it (CHARGING); a claim older than the lease is re-run
 */
public record AutoTopupAttempt(
        AutoTopupAttemptId id,
        OrgId orgId,
        long amountCents,
        Status status,
        Instant createdAt,
        Instant updatedAt,
        String customerId,
        String paymentMethodId,
        int providerRetries,
        Instant nextAttemptAt,
        Instant claimedAt,
        String paymentIntentId,
        String failureCode,
        String failureMessage) {

    public enum Status {
        /** Started by a debit that crossed the threshold; waiting for the worker (or for its next try). */
        PENDING,
        /** Claimed by a worker, which is calling the payment provider. */
        CHARGING,
        /** The provider accepted the charge and will confirm it later (a webhook). */
        PROCESSING,
        /** Charged and credited. */
        SUCCEEDED,
        /** Declined or failed for good. */
        FAILED,
        /** Given up without charging (auto top-up turned off meanwhile). */
        CANCELED;

        public static final Set<Status> IN_FLIGHT = EnumSet.of(PENDING, CHARGING, PROCESSING);

        /**
         * @return true when it did
         */
        public boolean inFlight() {
            return IN_FLIGHT.contains(this);
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param claimedAt when the worker last claimed it (CHARGING); a claim older than the lease is re-run
     * @param createdAt when it was created
     * @param customerId the customer charged, fixed at the first claim so every retry sends the same request
     * @param nextAttemptAt when a PENDING attempt may next be charged (backoff after a provider error)
     * @param orgId the organization
     * @param paymentIntentId the provider's payment intent id
     * @param paymentMethodId the card charged, fixed at the first claim for the same reason
     * @param providerRetries how many times the provider could not be reached for this attempt
     */
    public AutoTopupAttempt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        if (amountCents <= 0 || providerRetries < 0) {
            throw new IllegalArgumentException("amountCents must be > 0 and providerRetries >= 0");
        }
        if (status == Status.CHARGING && (customerId == null || paymentMethodId == null || claimedAt == null)) {
            throw new IllegalArgumentException("a charging attempt names its customer, card and claim time");
        }
    }

    /**
     * @param orgId the organization
     * @param at the instant
     */
    public static AutoTopupAttempt pending(AutoTopupAttemptId id, OrgId orgId, long amountCents, Instant at) {
        return new AutoTopupAttempt(id, orgId, amountCents, Status.PENDING, at, at, null, null, 0, at, null, null,
                null, null);
    }

    /**
     * The provider idempotency key: the same for every try of this attempt, so it is charged at most once.
     */
    public String paymentIdempotencyKey() {
        return "auto-topup-" + id;
    }

    /**
     * The ledger idempotency key of its credit, shared by the worker and the webhook.
     */
    public String ledgerKey() {
        return "auto_topup:" + id;
    }

    /**
     * @param at the instant
     */
    public AutoTopupAttempt claimed(String customer, String paymentMethod, Instant at) {
        return new AutoTopupAttempt(id, orgId, amountCents, Status.CHARGING, createdAt, at, customer, paymentMethod,
                providerRetries, nextAttemptAt, at, paymentIntentId, failureCode, failureMessage);
    }

    /**
     * @param at the instant
     */
    public AutoTopupAttempt retryLater(Instant next, Instant at) {
        return new AutoTopupAttempt(id, orgId, amountCents, Status.PENDING, createdAt, at, customerId,
                paymentMethodId, providerRetries + 1, next, claimedAt, paymentIntentId, failureCode, failureMessage);
    }

    /**
     * @param at the instant
     */
    public AutoTopupAttempt processing(String intentId, Instant at) {
        return new AutoTopupAttempt(id, orgId, amountCents, Status.PROCESSING, createdAt, at, customerId,
                paymentMethodId, providerRetries, nextAttemptAt, claimedAt, orDefault(intentId, paymentIntentId),
                null, null);
    }

    /**
     * @param at the instant
     */
    public AutoTopupAttempt succeeded(String intentId, Instant at) {
        return new AutoTopupAttempt(id, orgId, amountCents, Status.SUCCEEDED, createdAt, at, customerId,
                paymentMethodId, providerRetries, nextAttemptAt, claimedAt, orDefault(intentId, paymentIntentId),
                null, null);
    }

    /**
     * @param message a sentence for a person
     * @param at the instant
     */
    public AutoTopupAttempt failed(String intentId, String code, String message, Instant at) {
        return new AutoTopupAttempt(id, orgId, amountCents, Status.FAILED, createdAt, at, customerId,
                paymentMethodId, providerRetries, nextAttemptAt, claimedAt, orDefault(intentId, paymentIntentId),
                Objects.requireNonNull(code, "code"), message);
    }

    /**
     * @param reason why
     * @param at the instant
     */
    public AutoTopupAttempt canceled(String reason, Instant at) {
        return new AutoTopupAttempt(id, orgId, amountCents, Status.CANCELED, createdAt, at, customerId,
                paymentMethodId, providerRetries, nextAttemptAt, claimedAt, paymentIntentId, reason, null);
    }

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
