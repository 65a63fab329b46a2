package io.agentbilling.core.usecase;

import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupAttempt.Status;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.OffSessionChargeRequest;
import io.agentbilling.core.payment.OffSessionChargeResult;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.port.PaymentGateway;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spendcontrol.EventOutbox;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The auto top-up worker step (run on a schedule and right after a crossing): charges due attempts off-session.
 * For each, it claims the attempt (CHARGING) in one transaction, charges the saved card outside any transaction
 * with the attempt's idempotency key, and records the outcome in another:
 * <ul>
 *   <li>succeeded → {@code auto_topup} credit under the same ledger key as the webhook's, so whichever comes first
 *       credits and the other replays;</li>
 *   <li>failed (decline, authentication required) → recorded, counted; at the configured number of consecutive
 *       failures auto top-up turns itself off. A failed attempt is never retried; the next crossing makes a new one;</li>
 *   <li>processing → left for the webhook;</li>
 *   <li>provider unreachable → back to PENDING with a growing delay, a bounded number of times, then failed.</li>
 * </ul>
 * An attempt left CHARGING (a crash between the charge and its record) is claimed again once its lease has run out
 * and charged with the same idempotency key, so the provider returns the original charge instead of making a
 * second one. Safe to run on several instances at once. Thread-safe.
 */
public final class RunAutoTopups {
    /** Attempts handled per run, so one run stays short; the next run picks up the rest. */
    public static final int MAX_ATTEMPTS_PER_RUN = 100;

    private final Transactions transactions;
    private final PaymentGateway gateway;
    private final Clock clock;
    private final AutoTopupPolicy policy;
    private final PaymentOutcomes outcomes;
    private final BiConsumer<AutoTopupAttempt, RuntimeException> onError;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param gateway the payment provider
     * @param engine the posting engine
     * @param clock the clock that tells the time
     * @param policy the rules that apply
     */
    public RunAutoTopups(Transactions transactions, PaymentGateway gateway, PostingEngine engine, Clock clock,
                         AutoTopupPolicy policy) {
        this(transactions, gateway, engine, clock, policy, (attempt, error) -> { });
    }

    /**
     * @param onError told of each attempt whose handling threw (for the server's log); must not throw
     * @param transactions the unit of work
     * @param gateway the payment provider
     * @param engine the posting engine
     * @param clock the clock that tells the time
     * @param policy the rules that apply
     */
    public RunAutoTopups(Transactions transactions, PaymentGateway gateway, PostingEngine engine, Clock clock,
                         AutoTopupPolicy policy, BiConsumer<AutoTopupAttempt, RuntimeException> onError) {
        this(transactions, gateway, engine, clock, policy, onError, EventOutbox.NONE);
    }

    /** @param outbox where {@code auto_topup.failed} and {@code auto_topup.disabled} are recorded */
    public RunAutoTopups(Transactions transactions, PaymentGateway gateway, PostingEngine engine, Clock clock,
                         AutoTopupPolicy policy, BiConsumer<AutoTopupAttempt, RuntimeException> onError,
                         EventOutbox outbox) {
        this.onError = Objects.requireNonNull(onError, "onError");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.outcomes = new PaymentOutcomes(engine, outbox);
    }

    /** What one run did, for logs and metrics. {@code errors}: attempts whose handling threw (left for a later run). */
    public record Result(int charged, int succeeded, int failed, int processing, int retryLater, int canceled,
                         int errors) {
        public static final Result NONE = new Result(0, 0, 0, 0, 0, 0, 0);

        Result plus(Step step) {
            return new Result(charged + (step.charged ? 1 : 0),
                    succeeded + (step.status == Status.SUCCEEDED ? 1 : 0),
                    failed + (step.status == Status.FAILED ? 1 : 0),
                    processing + (step.status == Status.PROCESSING ? 1 : 0),
                    retryLater + (step.status == Status.PENDING ? 1 : 0),
                    canceled + (step.status == Status.CANCELED ? 1 : 0),
                    errors + (step.error ? 1 : 0));
        }
    }

    /** What happened to one attempt: whether the provider was asked, the status it ended in, or an error. */
    private record Step(boolean charged, Status status, boolean error) {}

    /**
     * Charges the auto top-ups that are due (at most {@value #MAX_ATTEMPTS_PER_RUN}). Refuses nothing: a declined or
     * failed charge is recorded on its attempt and retried or given up by the policy.
     *
     * @return what the run did
     */
    public Result execute() {
        return execute(MAX_ATTEMPTS_PER_RUN);
    }

    /**
     * Like {@link #execute()}, with a smaller batch.
     *
     * @param limit attempts at most, 1..{@value #MAX_ATTEMPTS_PER_RUN}
     * @return what the run did
     */
    public Result execute(int limit) {
        if (limit < 1 || limit > MAX_ATTEMPTS_PER_RUN) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_ATTEMPTS_PER_RUN);
        }
        Instant now = clock.instant();
        List<AutoTopupAttempt> due = transactions.read(stores ->
                stores.payments().attemptsToRun(now, now.minus(policy.chargingLease()), limit));
        Result result = Result.NONE;
        for (AutoTopupAttempt attempt : due) {
            Step step;
            try {
                step = run(attempt);
            } catch (RuntimeException e) {
                // One attempt's trouble (a failed commit, a crash-like error) must not stop the others; a claimed
                // attempt stays CHARGING and is re-run, with the same idempotency key, after its lease.
                onError.accept(attempt, e);
                step = new Step(false, null, true);
            }
            result = result.plus(step);
        }
        return result;
    }

    private Step run(AutoTopupAttempt candidate) {
        Claim claim = transactions.inTransaction(stores -> claim(stores, candidate));
        if (claim.request() == null) {
            return new Step(false, claim.status(), false);
        }
        OffSessionChargeResult charge;
        try {
            charge = gateway.chargeOffSession(claim.request());
        } catch (RuntimeException e) {
            // Unreachable provider, timeout, 5xx: whether it charged is unknown, so retry with the same key.
            Status status = transactions.inTransaction(stores -> retryLater(stores, candidate, e));
            return new Step(true, status, false);
        }
        Status status = transactions.inTransaction(stores -> record(stores, candidate, charge));
        return new Step(true, status, false);
    }

    /** The charge to make, or none (with the status the attempt ended in) when there is nothing to charge. */
    private record Claim(OffSessionChargeRequest request, Status status) {}

    private Claim claim(Stores stores, AutoTopupAttempt candidate) {
        Instant now = clock.instant();
        PaymentOutcomes.lockOrg(stores, candidate.orgId());
        AutoTopupAttempt attempt = stores.payments().lockAttempt(candidate.id()).orElseThrow();
        boolean due = (attempt.status() == Status.PENDING && !attempt.nextAttemptAt().isAfter(now))
                || (attempt.status() == Status.CHARGING
                        && attempt.claimedAt().isBefore(now.minus(policy.chargingLease())));
        if (!due) {
            return new Claim(null, null);
        }
        AutoTopupAttempt claimed;
        if (attempt.claimedAt() != null) {
            // Sent before (a crash, a lost answer): send exactly the same request again.
            claimed = attempt.claimed(attempt.customerId(), attempt.paymentMethodId(), now);
        } else {
            AutoTopupSettings settings = PaymentOutcomes.settingsOf(stores, attempt.orgId());
            if (!settings.enabled()) {
                stores.payments().updateAttempt(attempt.canceled("auto_topup_disabled", now));
                return new Claim(null, Status.CANCELED);
            }
            Optional<PaymentProfile> profile = stores.payments().profile(attempt.orgId())
                    .filter(PaymentProfile::hasSavedPaymentMethod);
            if (profile.isEmpty()) {
                outcomes.autoTopupFailed(stores, attempt, null, "payment_method_required",
                        "no saved card to charge", now, policy);
                return new Claim(null, Status.FAILED);
            }
            claimed = attempt.claimed(profile.get().customerId(), profile.get().paymentMethodId(), now);
        }
        stores.payments().updateAttempt(claimed);
        return new Claim(new OffSessionChargeRequest(claimed.id(), claimed.orgId(),
                Credits.ofCents(claimed.amountCents()), claimed.customerId(), claimed.paymentMethodId(),
                claimed.paymentIdempotencyKey()), Status.CHARGING);
    }

    private Status record(Stores stores, AutoTopupAttempt candidate, OffSessionChargeResult charge) {
        Instant now = clock.instant();
        PaymentOutcomes.lockOrg(stores, candidate.orgId());
        AutoTopupAttempt attempt = stores.payments().lockAttempt(candidate.id()).orElseThrow();
        switch (charge.status()) {
            case SUCCEEDED -> outcomes.autoTopupSucceeded(stores, attempt, charge.paymentIntentId(), now);
            case FAILED -> outcomes.autoTopupFailed(stores, attempt, charge.paymentIntentId(), charge.failureCode(),
                    charge.failureMessage(), now, policy);
            case PROCESSING -> {
                if (attempt.status() == Status.CHARGING) {
                    stores.payments().updateAttempt(attempt.processing(charge.paymentIntentId(), now));
                }
            }
        }
        return stores.payments().findAttempt(attempt.id()).orElseThrow().status();
    }

    private Status retryLater(Stores stores, AutoTopupAttempt candidate, RuntimeException error) {
        Instant now = clock.instant();
        PaymentOutcomes.lockOrg(stores, candidate.orgId());
        AutoTopupAttempt attempt = stores.payments().lockAttempt(candidate.id()).orElseThrow();
        if (attempt.status() != Status.CHARGING) {
            return attempt.status(); // the webhook settled it meanwhile
        }
        int retry = attempt.providerRetries() + 1;
        if (retry > policy.maxProviderRetries()) {
            outcomes.autoTopupFailed(stores, attempt, null, "payment_provider_error",
                    "the payment provider could not be reached: " + error.getMessage(), now, policy);
            return Status.FAILED;
        }
        stores.payments().updateAttempt(attempt.retryLater(now.plus(policy.backoffBefore(retry)), now));
        return Status.PENDING;
    }
}
