package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.CreditedPayment;
import io.agentbilling.core.payment.PaymentEvent;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spendcontrol.EventOutbox;
import io.agentbilling.core.webhooks.Events;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Fulfils a verified payment-provider event (API.md C). Each event id is processed once: it is marked processed in
 * the same unit of work as its effects, so a redelivery changes nothing and a failure leaves it to be redelivered.
 * Credits share their idempotency keys with the success page and the auto top-up worker, so events may arrive in
 * any order and race those paths. Events that cannot be applied (unknown payment, another org's session) are
 * acknowledged and ignored, with the reason in the result for the caller's log. Thread-safe.
 */
public final class HandlePaymentEvent {
    private final Transactions transactions;
    private final Clock clock;
    private final AutoTopupPolicy policy;
    private final PaymentOutcomes outcomes;
    private final PostingEngine engine;
    private final EventOutbox outbox;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param engine the posting engine
     * @param clock the clock that tells the time
     * @param policy the rules that apply
     */
    public HandlePaymentEvent(Transactions transactions, PostingEngine engine, Clock clock, AutoTopupPolicy policy) {
        this(transactions, engine, clock, policy, EventOutbox.NONE);
    }

    /** @param outbox where {@code topup.failed} and the auto top-up failure events are recorded */
    public HandlePaymentEvent(Transactions transactions, PostingEngine engine, Clock clock, AutoTopupPolicy policy,
                              EventOutbox outbox) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.outcomes = new PaymentOutcomes(engine, outbox);
    }

    /** What became of the event. */
    public enum Outcome {
        /** Applied now. */
        PROCESSED,
        /** Delivered again; it was applied before, nothing changed. */
        DUPLICATE,
        /** Nothing to do for it (an event of a checkout we did not open, or of another kind). */
        IGNORED
    }

    /** @param detail what happened, for the log line */
    public record Result(String eventId, Outcome outcome, String detail) {
        static Result processed(String eventId, String detail) {
            return new Result(eventId, Outcome.PROCESSED, detail);
        }

        static Result ignored(String eventId, String detail) {
            return new Result(eventId, Outcome.IGNORED, detail);
        }
    }

    /**
     * Applies a verified provider event once (a redelivery changes nothing).
     *
     * @param event the event, as the gateway parsed it
     * @return what the event changed
     * @throws BillingException {@code BAD_REQUEST} naming {@code eventId} when it is missing; {@code
     *                          IDEMPOTENCY_CONFLICT} when a payment's ledger key was used for another amount
     */
    public Result execute(PaymentEvent event) {
        Objects.requireNonNull(event, "event");
        if (event.eventId() == null || event.eventId().isBlank()) {
            throw BillingException.invalid("eventId", "is required");
        }
        return transactions.inTransaction(stores -> {
            Instant now = clock.instant();
            if (!stores.payments().markEventProcessed(event.eventId(), now)) {
                return new Result(event.eventId(), Outcome.DUPLICATE, "already processed");
            }
            return apply(stores, event, now);
        });
    }

    private Result apply(Stores stores, PaymentEvent event, Instant now) {
        if (event instanceof PaymentEvent.CheckoutCompleted completed) {
            return checkoutCompleted(stores, completed, now);
        }
        if (event instanceof PaymentEvent.CheckoutFailed failed) {
            return stores.payments().markCheckoutFailed(failed.session().id(), reasonOf(failed.reason()), now)
                    .map(r -> {
                        outbox.record(stores, Events.topupFailed(r, now));
                        return Result.processed(event.eventId(), "checkout " + r.sessionId() + " failed");
                    })
                    .orElseGet(() -> Result.ignored(event.eventId(), "unknown checkout " + failed.session().id()));
        }
        if (event instanceof PaymentEvent.PaymentSucceeded succeeded) {
            return paymentSucceeded(stores, succeeded, now);
        }
        if (event instanceof PaymentEvent.PaymentFailed failed) {
            return paymentFailed(stores, failed, now);
        }
        if (event instanceof PaymentEvent.ChargeRefunded refunded) {
            return chargeRefunded(stores, refunded, now);
        }
        PaymentEvent.Ignored ignored = (PaymentEvent.Ignored) event;
        return Result.ignored(event.eventId(), "event type " + ignored.type() + " is not handled");
    }

    private Result checkoutCompleted(Stores stores, PaymentEvent.CheckoutCompleted event, Instant now) {
        CheckoutSession session = event.session();
        if (!session.paid()) {
            return Result.ignored(event.eventId(), "checkout " + session.id() + " is not paid yet");
        }
        OrgId orgId = session.orgId();
        if (orgId == null) {
            return Result.ignored(event.eventId(), "checkout " + session.id() + " names no org");
        }
        Optional<CheckoutRecord> record = stores.payments().findCheckout(session.id());
        if (record.isPresent() && (!record.get().orgId().equals(orgId)
                || record.get().amountCents() != session.amountCents())) {
            return Result.ignored(event.eventId(), "checkout " + session.id() + " does not match our record");
        }
        if (!PaymentOutcomes.lockOrg(stores, orgId)) {
            return Result.ignored(event.eventId(), "checkout " + session.id() + " names an unknown org");
        }
        try {
            PaymentOutcomes.Credit credit = outcomes.creditCheckout(stores, orgId, session, now);
            return Result.processed(event.eventId(), (credit.replayed() ? "already credited" : "credited")
                    + " checkout " + session.id());
        } catch (BillingException e) {
            if (e.error() != BillingError.IDEMPOTENCY_CONFLICT) {
                throw e;
            }
            // Credited before with another amount: a redelivery would fail the same way, so acknowledge it.
            return Result.ignored(event.eventId(), "checkout " + session.id() + " was credited with another amount");
        }
    }

    private Result paymentSucceeded(Stores stores, PaymentEvent.PaymentSucceeded event, Instant now) {
        if (event.attemptId() == null) {
            // The payment behind a checkout session: its checkout.session.* event does the crediting.
            return Result.ignored(event.eventId(), "payment " + event.paymentIntentId() + " is not an auto top-up");
        }
        Optional<AutoTopupAttempt> attempt = lockedAttempt(stores, event.attemptId(), event.orgId());
        if (attempt.isEmpty()) {
            return Result.ignored(event.eventId(), "unknown auto top-up attempt " + event.attemptId());
        }
        if (event.amountCents() != attempt.get().amountCents()) {
            return Result.ignored(event.eventId(), "auto top-up " + event.attemptId() + " amount does not match");
        }
        PaymentOutcomes.Credit credit = outcomes.autoTopupSucceeded(stores, attempt.get(), event.paymentIntentId(), now);
        return Result.processed(event.eventId(), (credit.replayed() ? "already credited" : "credited")
                + " auto top-up " + event.attemptId());
    }

    private Result paymentFailed(Stores stores, PaymentEvent.PaymentFailed event, Instant now) {
        if (event.attemptId() == null) {
            return Result.ignored(event.eventId(), "payment " + event.paymentIntentId() + " is not an auto top-up");
        }
        Optional<AutoTopupAttempt> attempt = lockedAttempt(stores, event.attemptId(), event.orgId());
        if (attempt.isEmpty()) {
            return Result.ignored(event.eventId(), "unknown auto top-up attempt " + event.attemptId());
        }
        outcomes.autoTopupFailed(stores, attempt.get(), event.paymentIntentId(), reasonOf(event.failureCode()),
                event.failureMessage(), now, policy);
        return Result.processed(event.eventId(), "auto top-up " + event.attemptId() + " failed");
    }

    /** The attempt, locked after its org's account (the lock order); empty when unknown or the org disagrees. */
    private static Optional<AutoTopupAttempt> lockedAttempt(Stores stores, AutoTopupAttemptId id, OrgId eventOrg) {
        Optional<AutoTopupAttempt> found = stores.payments().findAttempt(id);
        if (found.isEmpty() || (eventOrg != null && !eventOrg.equals(found.get().orgId()))) {
            return Optional.empty();
        }
        PaymentOutcomes.lockOrg(stores, found.get().orgId());
        return stores.payments().lockAttempt(id);
    }

    /**
     * A refund to the card: a negative {@code refund} entry for the part of the provider's cumulative refunded
     * amount not yet on the ledger, capped at what the payment credited. Keyed on the charge and the cumulative
     * amount, so each refund step lands once whatever the delivery order of its events.
     */
    private Result chargeRefunded(Stores stores, PaymentEvent.ChargeRefunded event, Instant now) {
        if (event.paymentIntentId() == null) {
            return Result.ignored(event.eventId(), "refund of charge " + event.chargeId() + " names no payment");
        }
        Optional<CreditedPayment> known = stores.payments().findPayment(event.paymentIntentId());
        if (known.isEmpty() || (event.orgId() != null && !event.orgId().equals(known.get().orgId()))) {
            return Result.ignored(event.eventId(), "refund of unknown payment " + event.paymentIntentId());
        }
        OrgId orgId = known.get().orgId();
        PaymentOutcomes.lockOrg(stores, orgId);
        CreditedPayment payment = stores.payments().lockPayment(event.paymentIntentId()).orElseThrow();
        long cumulativeCents = Math.min(Math.max(event.amountRefundedCents(), 0), payment.creditedCents());
        long missingCents = cumulativeCents - payment.refundedCents();
        if (missingCents <= 0) {
            return Result.processed(event.eventId(), "refund of " + event.paymentIntentId() + " already recorded");
        }
        String key = "refund:" + event.chargeId() + ":" + cumulativeCents;
        Posting posting = Posting.entry(orgId, EntryType.REFUND, Credits.ofCents(missingCents).negate(),
                EntryText.described("refund to card").withReference(event.paymentIntentId()), key,
                Fingerprint.of("refund", orgId, event.chargeId(), cumulativeCents, missingCents));
        PostingEngine.Result result = engine.post(stores, List.of(PostingEngine.Request.of(posting))).get(0);
        if (result.isRejected()) {
            throw BillingException.of(result.error() == null ? BillingError.INTERNAL : result.error(), result.message());
        }
        stores.payments().updatePayment(payment.withRefunded(cumulativeCents));
        return Result.processed(event.eventId(), "refunded " + missingCents + " cents of " + event.paymentIntentId());
    }

    private static String reasonOf(String reason) {
        return reason == null || reason.isBlank() ? "payment_failed" : reason;
    }
}
