package io.agentbilling.core.port;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.payment.CreditedPayment;
import io.agentbilling.core.payment.PaymentProfile;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Payment state: provider customers and saved cards, the checkout sessions we opened, processed webhook events,
 * credited payments (for refunds), auto top-up settings and attempts. Obtained from {@link Stores} inside a
 * {@link Transactions} unit of work; every method joins that transaction.
 *
 * <p>Writes that may race are insert-if-absent and return the row that won (a unique constraint and
 * {@code ON CONFLICT DO NOTHING} followed by a read in SQL), never a read followed by a write. Methods named
 * {@code lock…} lock the row for the rest of the transaction ({@code SELECT … FOR UPDATE}).
 */
public interface PaymentStore {

    // --- provider customer and saved card (one profile per org) ---

    /**
     * @param orgId the organization
     */
    Optional<PaymentProfile> profile(OrgId orgId);

    /**
     * Stores the org's provider customer unless it already has one; returns the stored profile, whose customer id
     * is the one to use (a concurrent creator may have won).
     *
     * @param orgId the organization
     * @param customerId the provider's customer id
     * @param at the instant
     */
    PaymentProfile saveCustomerIfAbsent(OrgId orgId, String customerId, Instant at);

    /**
     * Sets the card saved for off-session charges on the org's existing profile and returns it.
     *
     * @param orgId the organization
     * @param at the instant
     * @throws IllegalStateException when the org has no profile
     */
    PaymentProfile savePaymentMethod(OrgId orgId, String paymentMethodId, Instant at);

    // --- checkout sessions we opened ---

    /**
     * Records a checkout unless one exists with the same session id or, when the record has an idempotency key,
     * the same (org, idempotency key); returns the stored record (the existing one when it lost).
     */
    CheckoutRecord insertCheckoutIfAbsent(CheckoutRecord record);

    /**
     * @param sessionId the checkout session id
     * @return the checkout record, or empty when there is none
     */
    Optional<CheckoutRecord> findCheckout(String sessionId);

    /**
     * Finds the checkout by key.
     *
     * @param orgId the organization
     * @param idempotencyKey the caller's idempotency key
     * @return the checkout record, or empty when there is none
     */
    Optional<CheckoutRecord> findCheckoutByKey(OrgId orgId, String idempotencyKey);

    /**
     * Marks a checkout failed (reason and time) unless it already is; returns the stored record, if any.
     *
     * @param sessionId the checkout session id
     * @param reason why
     * @param at the instant
     * @return the checkout record, or empty when there is none
     */
    Optional<CheckoutRecord> markCheckoutFailed(String sessionId, String reason, Instant at);

    // --- webhook events ---

    /**
     * Records that an event was processed; true the first time, false when it already was (a redelivery).
     *
     * @param eventId the provider's event id
     * @param at the instant
     * @return true when it did
     */
    boolean markEventProcessed(String eventId, Instant at);

    // --- credited payments, for refunds ---

    /**
     * Records a credited payment unless its payment intent is known; returns the stored one.
     */
    CreditedPayment insertPaymentIfAbsent(CreditedPayment payment);

    /**
     * @param paymentIntentId the provider's payment intent id
     * @return the credited payment, or empty when there is none
     */
    Optional<CreditedPayment> findPayment(String paymentIntentId);

    /**
     * The credited payment of a payment intent, locked for the rest of the transaction.
     *
     * @param paymentIntentId the provider's payment intent id
     * @return the credited payment, or empty when there is none
     */
    Optional<CreditedPayment> lockPayment(String paymentIntentId);

    /**
     * Stores the refunded amount of a payment locked by {@link #lockPayment}.
     */
    void updatePayment(CreditedPayment payment);

    // --- auto top-up ---

    /**
     * @param orgId the organization
     */
    Optional<AutoTopupSettings> autoTopupSettings(OrgId orgId);

    /**
     * The settings of those of {@code orgIds} that have any, for a whole settlement batch at once (the auto top-up
     * trigger reads them after every batch of debits). A store that can, answers with one query; this default asks
     * org by org.
     *
     * @param orgIds the organizations
     */
    default Map<OrgId, AutoTopupSettings> autoTopupSettings(Collection<OrgId> orgIds) {
        Map<OrgId, AutoTopupSettings> found = new HashMap<>();
        for (OrgId orgId : orgIds) {
            autoTopupSettings(orgId).ifPresent(settings -> found.put(orgId, settings));
        }
        return found;
    }

    /**
     * Inserts or replaces the org's settings. Callers hold the org's account lock (see the use cases).
     */
    void saveAutoTopupSettings(AutoTopupSettings settings);

    /**
     * Inserts a (PENDING) attempt unless the org has one in flight (PENDING, CHARGING or PROCESSING); true when
     * inserted. In SQL: a partial unique index on {@code org_id} over the in-flight states and
     * {@code ON CONFLICT DO NOTHING}.
     *
     * @return true when it did
     */
    boolean insertAttemptIfNoneInFlight(AutoTopupAttempt attempt);

    /**
     * @return the auto topup attempt, or empty when there is none
     */
    Optional<AutoTopupAttempt> findAttempt(AutoTopupAttemptId id);

    /**
     * The attempt, locked for the rest of the transaction.
     *
     * @return the auto topup attempt, or empty when there is none
     */
    Optional<AutoTopupAttempt> lockAttempt(AutoTopupAttemptId id);

    /**
     * Replaces a stored attempt (by id). At most one attempt of an org may be in flight after the update.
     */
    void updateAttempt(AutoTopupAttempt attempt);

    /**
     * Attempts the worker should charge now, oldest first, at most {@code limit}: PENDING ones whose
     * {@code nextAttemptAt} is at or before {@code now}, and CHARGING ones claimed before {@code staleClaimBefore}
     * (their worker crashed or lost the provider's answer).
     *
     * @param now the current instant
     * @param limit at most this many
     */
    List<AutoTopupAttempt> attemptsToRun(Instant now, Instant staleClaimBefore, int limit);

    /**
     * An org's attempts, newest first, at most {@code limit}.
     *
     * @param orgId the organization
     * @param limit at most this many
     */
    List<AutoTopupAttempt> attempts(OrgId orgId, int limit);

    /**
     * What the org's auto top-ups created at or after {@code since} charge or charged: the amounts of its attempts in
     * flight or succeeded (the monthly cap's count). A store that can answers with one query; this default reads the
     * org's recent attempts.
     */
    default long autoTopupCentsSince(OrgId orgId, Instant since) {
        long sum = 0;
        for (AutoTopupAttempt attempt : attempts(orgId, 10_000)) {
            boolean counts = attempt.status().inFlight() || attempt.status() == AutoTopupAttempt.Status.SUCCEEDED;
            if (counts && !attempt.createdAt().isBefore(since)) {
                sum = Math.addExact(sum, attempt.amountCents());
            }
        }
        return sum;
    }
}
