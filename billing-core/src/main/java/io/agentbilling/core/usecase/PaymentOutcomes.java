package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.CreditedPayment;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.spendcontrol.EventOutbox;
import io.agentbilling.core.webhooks.Events;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a payment's outcome does to the ledger and the payment state, shared by the paths that learn it (the success
 * page, the webhook, the auto top-up worker), so that whichever comes first credits and the others replay the same
 * idempotency key. Every method runs inside the caller's unit of work. Thread-safe: holds no mutable state.
 *
 * <p>Lock order, everywhere: the org's account first (through {@link #lockOrg}), then payment rows. The posting
 * engine takes the account lock too, and the auto top-up trigger inserts attempts while holding it, so taking it
 * first keeps every payment transaction in one order and free of deadlocks.
 */
final class PaymentOutcomes {
    private final PostingEngine engine;
    private final EventOutbox outbox;

    PaymentOutcomes(PostingEngine engine) {
        this(engine, EventOutbox.NONE);
    }

    /** @param outbox where {@code auto_topup.failed} and {@code auto_topup.disabled} are recorded */
    PaymentOutcomes(PostingEngine engine, EventOutbox outbox) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    /** A ledger credit: its entry, the balance right after it, and whether an earlier path had already made it. */
    record Credit(EntryId entryId, Credits balanceAfter, boolean replayed) {}

    static String checkoutLedgerKey(String sessionId) {
        return "checkout:" + sessionId;
    }

    /** Locks the org's account for the rest of the transaction; false when the org has none. */
    static boolean lockOrg(Stores stores, OrgId orgId) {
        return stores.ledger().lockAccounts(Set.of(orgId)).containsKey(orgId);
    }

    /**
     * Credits a paid checkout session to {@code orgId} exactly once ({@code topup}, the provider's amount, keyed on
     * the session id) and remembers the card it saved and the payment behind it. The caller has checked that the
     * session is paid and belongs to the org.
     */
    Credit creditCheckout(Stores stores, OrgId orgId, CheckoutSession session, Instant now) {
        if (!session.paid() || !orgId.equals(session.orgId())) {
            throw new IllegalStateException("crediting a session that is not paid or not the org's: " + session.id());
        }
        Posting posting = Posting.entry(orgId, EntryType.TOPUP, Credits.ofCents(session.amountCents()),
                EntryText.described("card top-up").withReference(session.id()), checkoutLedgerKey(session.id()),
                Fingerprint.of("topup", orgId, session.amountCents()));
        Credit credit = post(stores, posting);
        rememberCard(stores, orgId, session, now);
        if (session.paymentIntentId() != null) {
            stores.payments().insertPaymentIfAbsent(CreditedPayment.of(session.paymentIntentId(), orgId,
                    checkoutLedgerKey(session.id()), session.amountCents(), now));
        }
        return credit;
    }

    /**
     * Completes an auto top-up whose charge succeeded: credits {@code auto_topup} once (the attempt's amount, keyed
     * on the attempt), marks it SUCCEEDED and records the success on the settings. The caller holds the org lock.
     */
    Credit autoTopupSucceeded(Stores stores, AutoTopupAttempt attempt, String paymentIntentId, Instant now) {
        String intent = paymentIntentId != null ? paymentIntentId : attempt.paymentIntentId();
        Posting posting = Posting.entry(attempt.orgId(), EntryType.AUTO_TOPUP, Credits.ofCents(attempt.amountCents()),
                EntryText.described("automatic top-up").withReference(intent != null ? intent : attempt.id().toString()),
                attempt.ledgerKey(),
                Fingerprint.of("auto_topup", attempt.orgId(), attempt.amountCents()));
        Credit credit = post(stores, posting);
        if (attempt.status() != AutoTopupAttempt.Status.SUCCEEDED) {
            stores.payments().updateAttempt(attempt.succeeded(intent, now));
            AutoTopupSettings settings = settingsOf(stores, attempt.orgId());
            stores.payments().saveAutoTopupSettings(settings.withSuccess(now));
        }
        if (intent != null) {
            stores.payments().insertPaymentIfAbsent(CreditedPayment.of(intent, attempt.orgId(), attempt.ledgerKey(),
                    attempt.amountCents(), now));
        }
        return credit;
    }

    /**
     * Records a failed auto top-up charge once: the attempt becomes FAILED with the provider's reason and the org's
     * consecutive failures go up (turning auto top-up off at the configured limit). An attempt that already
     * succeeded or failed is left alone, so the worker and the webhook never count one failure twice.
     */
    void autoTopupFailed(Stores stores, AutoTopupAttempt attempt, String paymentIntentId, String code,
                         String message, Instant now, AutoTopupPolicy policy) {
        if (!attempt.status().inFlight()) {
            return;
        }
        String reason = code == null || code.isBlank() ? "payment_failed" : code;
        AutoTopupAttempt failed = attempt.failed(paymentIntentId, reason, message, now);
        stores.payments().updateAttempt(failed);
        AutoTopupSettings settings = settingsOf(stores, attempt.orgId());
        AutoTopupSettings after = settings.withFailure(reason, now, policy.maxConsecutiveFailures());
        stores.payments().saveAutoTopupSettings(after);
        outbox.record(stores, Events.autoTopupFailed(failed, after.consecutiveFailures(), now));
        if (settings.enabled() && !after.enabled()) {
            outbox.record(stores, Events.autoTopupDisabled(failed, after.disabledReason(), now));
        }
    }

    static AutoTopupSettings settingsOf(Stores stores, OrgId orgId) {
        return stores.payments().autoTopupSettings(orgId).orElseGet(() -> AutoTopupSettings.defaults(orgId));
    }

    private Credit post(Stores stores, Posting posting) {
        List<PostingEngine.Result> results = engine.post(stores, List.of(PostingEngine.Request.of(posting)));
        PostingEngine.Result result = results.get(0);
        if (result.isRejected()) {
            throw BillingException.of(result.error(), result.message());
        }
        IdempotencyRecord record = result.record();
        return new Credit(record.entryId(), record.balanceAfter(), result.replayed());
    }

    /** Saves the card a paid checkout stored for off-session use, on the org's own provider customer only. */
    private static void rememberCard(Stores stores, OrgId orgId, CheckoutSession session, Instant now) {
        if (session.paymentMethodId() == null || session.customerId() == null) {
            return;
        }
        PaymentProfile profile = stores.payments().saveCustomerIfAbsent(orgId, session.customerId(), now);
        // A card saved on another customer could not be charged with ours.
        if (profile.customerId().equals(session.customerId())
                && !session.paymentMethodId().equals(profile.paymentMethodId())) {
            stores.payments().savePaymentMethod(orgId, session.paymentMethodId(), now);
        }
    }

    /** The stored ledger entry of a checkout credit, when one was made. */
    static Optional<IdempotencyRecord> checkoutCredit(Stores stores, OrgId orgId, String sessionId) {
        return stores.ledger().findKey(new IdempotencyRecord.ScopedKey(orgId, checkoutLedgerKey(sessionId)))
                .filter(r -> r.entryId() != null);
    }
}
