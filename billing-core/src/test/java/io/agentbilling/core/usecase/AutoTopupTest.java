package io.agentbilling.core.usecase;

import io.agentbilling.core.payment.AutoTopupAttemptId;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupAttempt.Status;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.PaymentEvent;
import io.agentbilling.testkit.FakePaymentGateway.Charge;
import io.agentbilling.core.usecase.HandlePaymentEvent.Outcome;
import io.agentbilling.core.usecase.PaymentsWorld.OrgFixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** API.md A8's behaviour paragraph: crossing the threshold starts one off-session charge, credited exactly once. */
class AutoTopupTest {
    private final PaymentsWorld world = new PaymentsWorld();
    private final OrgFixture org = world.newOrg("Acme");
    private final List<RuntimeException> errors = new ArrayList<>();

    AutoTopupTest() {
        world.runAutoTopups = new RunAutoTopups(world.tx, world.gateway, world.engine, world.clock, world.autoPolicy,
                (attempt, error) -> errors.add(error));
        world.paidTopup(org, 5_000);                 // balance 5 000, card saved
        world.enableAutoTopup(org, 1_000, 2_500);
    }

    @Test
    void a_debit_that_crosses_below_the_threshold_creates_one_pending_attempt() {
        world.spend(org.id(), 3_000);                // 2 000: still above
        assertThat(world.attempts(org.id())).isEmpty();

        world.spend(org.id(), 1_500);                // 500: crossed

        assertThat(world.attempts(org.id())).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(Status.PENDING);
            assertThat(a.amountCents()).isEqualTo(2_500);
        });
    }

    @Test
    void landing_exactly_on_the_threshold_is_not_a_crossing() {
        world.spend(org.id(), 4_000);                // 1 000 == threshold

        assertThat(world.attempts(org.id())).isEmpty();
    }

    @Test
    void further_debits_below_the_threshold_start_nothing_more() {
        world.spend(org.id(), 4_500);
        world.spend(org.id(), 100);
        world.spend(org.id(), 1_000);

        assertThat(world.attempts(org.id())).hasSize(1);
    }

    @Test
    void a_second_crossing_while_an_attempt_is_in_flight_starts_nothing() {
        world.spend(org.id(), 4_500);                // 500: attempt 1 pending
        world.paidTopup(org, 2_000);                 // 2 500: back above
        world.spend(org.id(), 2_000);                // 500: crossed again, attempt 1 still pending

        assertThat(world.attempts(org.id())).hasSize(1);
    }

    @Test
    void a_debit_while_still_below_the_threshold_after_a_small_top_up_starts_nothing() {
        world.enableAutoTopup(org, 1_000, 500);
        world.spend(org.id(), 4_900);                // 100: crossed
        world.runAutoTopups.execute();               // 600: still below
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(600));

        world.spend(org.id(), 50);

        assertThat(world.attempts(org.id())).hasSize(1);
    }

    @Test
    void nothing_starts_while_auto_top_up_is_off() {
        world.updateAutoTopup.execute(UpdateAutoTopup.Command.builder().caller(org.admin()).enabled(false).build());

        world.spend(org.id(), 4_500);

        assertThat(world.attempts(org.id())).isEmpty();
    }

    @Test
    void a_burst_of_concurrent_debits_crossing_the_threshold_starts_exactly_one_attempt() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < threads * 4; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return world.spend(org.id(), 100);      // 64 × 100 = 6 400 > 5 000
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(5_000 - 6_400));
        assertThat(world.attempts(org.id())).hasSize(1);
    }

    @Test
    void a_successful_charge_is_credited_once_as_auto_topup() {
        world.spend(org.id(), 4_500);

        RunAutoTopups.Result run = world.runAutoTopups.execute();

        assertThat(run.succeeded()).isEqualTo(1);
        assertThat(world.gateway.successfulCharges()).isEqualTo(1);
        List<LedgerEntry> credits = world.entries(org.id(), EntryType.AUTO_TOPUP);
        assertThat(credits).singleElement().satisfies(e -> {
            assertThat(e.amount()).isEqualTo(Credits.ofCents(2_500));
            assertThat(e.idempotencyKey()).startsWith("auto_topup:");
        });
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(3_000));
        AutoTopupAttempt attempt = world.attempts(org.id()).get(0);
        assertThat(attempt.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(world.gateway.chargeCalls()).singleElement().satisfies(c -> {
            assertThat(c.idempotencyKey()).isEqualTo("auto-topup-" + attempt.id());
            assertThat(c.amountCents()).isEqualTo(2_500);
            assertThat(c.paymentMethodId()).isEqualTo(world.profile(org.id()).orElseThrow().paymentMethodId());
        });
        assertThat(world.settings(org.id()).lastTopupAt()).isEqualTo(world.clock.instant());

        assertThat(world.runAutoTopups.execute()).isEqualTo(RunAutoTopups.Result.NONE);
        assertThat(world.gateway.successfulCharges()).isEqualTo(1);
    }

    @Test
    void the_webhook_after_the_worker_replays_the_credit() {
        world.spend(org.id(), 4_500);
        world.runAutoTopups.execute();
        String key = world.attempts(org.id()).get(0).paymentIdempotencyKey();

        HandlePaymentEvent.Result hook = world.handleEvent.execute(world.gateway.paymentSucceededEvent(key));

        assertThat(hook.outcome()).isEqualTo(Outcome.PROCESSED);
        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).hasSize(1);
    }

    @Test
    void the_webhook_before_the_workers_record_credits_once() {
        world.spend(org.id(), 4_500);
        AutoTopupAttempt pending = world.attempts(org.id()).get(0);
        // The provider's webhook lands between the charge and the worker's record of it.
        world.gateway.afterNextSuccessfulCharge(() -> world.handleEvent.execute(
                world.gateway.paymentSucceededEvent(pending.paymentIdempotencyKey())));

        world.runAutoTopups.execute();

        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).hasSize(1);
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(3_000));
        assertThat(world.attempts(org.id()).get(0).status()).isEqualTo(Status.SUCCEEDED);
    }

    @Test
    void a_declined_charge_is_recorded_and_not_retried() {
        world.gateway.nextCharges(Charge.DECLINE);
        world.spend(org.id(), 4_500);

        RunAutoTopups.Result run = world.runAutoTopups.execute();

        assertThat(run.failed()).isEqualTo(1);
        AutoTopupAttempt attempt = world.attempts(org.id()).get(0);
        assertThat(attempt.status()).isEqualTo(Status.FAILED);
        assertThat(attempt.failureCode()).isEqualTo("card_declined");
        AutoTopupSettings settings = world.settings(org.id());
        assertThat(settings.consecutiveFailures()).isEqualTo(1);
        assertThat(settings.lastFailureReason()).isEqualTo("card_declined");
        assertThat(settings.lastFailureAt()).isEqualTo(world.clock.instant());
        assertThat(settings.enabled()).isTrue();
        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).isEmpty();

        world.clock.advance(Duration.ofHours(2));
        world.runAutoTopups.execute();
        assertThat(world.gateway.chargeCalls()).hasSize(1);
    }

    @Test
    void a_charge_needing_authentication_is_recorded_as_a_failure() {
        world.gateway.nextCharges(Charge.AUTHENTICATION_REQUIRED);
        world.spend(org.id(), 4_500);

        world.runAutoTopups.execute();

        assertThat(world.attempts(org.id()).get(0).failureCode()).isEqualTo("authentication_required");
        assertThat(world.settings(org.id()).lastFailureReason()).isEqualTo("authentication_required");
    }

    @Test
    void after_three_consecutive_failures_auto_top_up_turns_itself_off_and_says_why() {
        world.gateway.nextCharges(Charge.DECLINE, Charge.DECLINE, Charge.DECLINE);

        for (int i = 0; i < 3; i++) {
            crossAgain();
            world.runAutoTopups.execute();
        }

        AutoTopupSettings settings = world.settings(org.id());
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.consecutiveFailures()).isEqualTo(3);
        assertThat(settings.disabledReason()).contains("card_declined");
        assertThat(world.attempts(org.id())).hasSize(3).allSatisfy(a -> assertThat(a.status()).isEqualTo(Status.FAILED));

        crossAgain();
        assertThat(world.attempts(org.id())).hasSize(3);
    }

    @Test
    void the_failure_limit_is_configurable() {
        PaymentsWorld strict = new PaymentsWorld(1_000_000, AutoTopupPolicy.defaults().withMaxConsecutiveFailures(1));
        OrgFixture acme = strict.newOrg("Strict");
        strict.paidTopup(acme, 5_000);
        strict.enableAutoTopup(acme, 1_000, 2_500);
        strict.gateway.nextCharges(Charge.DECLINE);
        strict.spend(acme.id(), 4_500);

        strict.runAutoTopups.execute();

        assertThat(strict.settings(acme.id()).enabled()).isFalse();
    }

    @Test
    void a_success_between_failures_resets_the_count() {
        world.gateway.nextCharges(Charge.DECLINE, Charge.DECLINE, Charge.SUCCEED, Charge.DECLINE);

        for (int i = 0; i < 4; i++) {
            crossAgain();
            world.runAutoTopups.execute();
        }

        assertThat(world.settings(org.id()).consecutiveFailures()).isEqualTo(1);
        assertThat(world.settings(org.id()).enabled()).isTrue();
    }

    @Test
    void a_provider_error_then_success_charges_once_with_the_same_key() {
        world.gateway.nextCharges(Charge.PROVIDER_ERROR);
        world.spend(org.id(), 4_500);

        RunAutoTopups.Result first = world.runAutoTopups.execute();
        assertThat(first.retryLater()).isEqualTo(1);
        AutoTopupAttempt waiting = world.attempts(org.id()).get(0);
        assertThat(waiting.status()).isEqualTo(Status.PENDING);
        assertThat(waiting.providerRetries()).isEqualTo(1);
        assertThat(waiting.nextAttemptAt()).isEqualTo(world.clock.instant().plus(Duration.ofSeconds(30)));

        assertThat(world.runAutoTopups.execute()).isEqualTo(RunAutoTopups.Result.NONE);   // backing off
        world.clock.advance(Duration.ofSeconds(30));
        world.runAutoTopups.execute();

        assertThat(world.gateway.successfulCharges()).isEqualTo(1);
        assertThat(world.gateway.chargeCalls()).extracting(c -> c.idempotencyKey()).containsOnly(
                waiting.paymentIdempotencyKey()).hasSize(2);
        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).hasSize(1);
        assertThat(world.settings(org.id()).consecutiveFailures()).isZero();
    }

    @Test
    void a_lost_response_is_retried_with_the_same_key_and_charges_once() {
        world.gateway.nextCharges(Charge.LOST_RESPONSE);
        world.spend(org.id(), 4_500);

        world.runAutoTopups.execute();
        assertThat(world.gateway.successfulCharges()).isEqualTo(1);
        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).isEmpty();

        world.clock.advance(Duration.ofMinutes(1));
        world.runAutoTopups.execute();

        assertThat(world.gateway.successfulCharges()).isEqualTo(1);
        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).hasSize(1);
    }

    @Test
    void provider_errors_are_retried_a_bounded_number_of_times_then_count_as_a_failure() {
        Charge[] errors = new Charge[6];
        java.util.Arrays.fill(errors, Charge.PROVIDER_ERROR);
        world.gateway.nextCharges(errors);
        world.spend(org.id(), 4_500);

        for (int i = 0; i < 10; i++) {
            world.runAutoTopups.execute();
            world.clock.advance(Duration.ofHours(1));
        }

        assertThat(world.gateway.chargeCalls()).hasSize(6);                 // 1 + 5 retries
        AutoTopupAttempt attempt = world.attempts(org.id()).get(0);
        assertThat(attempt.status()).isEqualTo(Status.FAILED);
        assertThat(attempt.failureCode()).isEqualTo("payment_provider_error");
        assertThat(world.settings(org.id()).consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void a_crash_between_the_charge_and_the_credit_is_recovered_with_one_charge_and_one_credit() {
        world.spend(org.id(), 4_500);
        world.gateway.afterNextSuccessfulCharge(world.tx::crashNextCommit);

        RunAutoTopups.Result crashed = world.runAutoTopups.execute();

        assertThat(crashed.errors()).isEqualTo(1);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e).hasMessageContaining("simulated crash"));
        assertThat(world.gateway.successfulCharges()).isEqualTo(1);
        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).isEmpty();
        assertThat(world.attempts(org.id()).get(0).status()).isEqualTo(Status.CHARGING);

        // Within the lease the claim still belongs to the (presumed live) worker.
        assertThat(world.runAutoTopups.execute()).isEqualTo(RunAutoTopups.Result.NONE);
        world.clock.advance(Duration.ofMinutes(6));
        RunAutoTopups.Result recovered = world.runAutoTopups.execute();

        assertThat(recovered.succeeded()).isEqualTo(1);
        assertThat(world.gateway.successfulCharges()).isEqualTo(1);
        assertThat(world.gateway.chargeCalls()).hasSize(2);
        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).hasSize(1);
        assertThat(world.balance(org.id())).isEqualTo(Credits.ofCents(3_000));
    }

    @Test
    void a_processing_charge_is_left_for_the_webhook_which_credits_it() {
        world.gateway.nextCharges(Charge.PROCESSING);
        world.spend(org.id(), 4_500);

        RunAutoTopups.Result run = world.runAutoTopups.execute();
        assertThat(run.processing()).isEqualTo(1);
        AutoTopupAttempt attempt = world.attempts(org.id()).get(0);
        assertThat(attempt.status()).isEqualTo(Status.PROCESSING);
        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).isEmpty();

        world.spend(org.id(), 100);                  // still in flight: no second attempt
        assertThat(world.attempts(org.id())).hasSize(1);

        world.gateway.settleCharge(attempt.paymentIdempotencyKey(), null);
        world.handleEvent.execute(world.gateway.paymentSucceededEvent(attempt.paymentIdempotencyKey()));

        assertThat(world.attempts(org.id()).get(0).status()).isEqualTo(Status.SUCCEEDED);
        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).hasSize(1);
        assertThat(world.settings(org.id()).lastTopupAt()).isNotNull();
    }

    @Test
    void a_processing_charge_that_fails_is_counted_once_even_if_the_failure_is_delivered_twice() {
        world.gateway.nextCharges(Charge.PROCESSING);
        world.spend(org.id(), 4_500);
        world.runAutoTopups.execute();
        AutoTopupAttempt attempt = world.attempts(org.id()).get(0);
        world.gateway.settleCharge(attempt.paymentIdempotencyKey(), "insufficient_funds");

        world.handleEvent.execute(world.gateway.paymentFailedEvent(attempt.paymentIdempotencyKey(),
                "insufficient_funds"));
        world.handleEvent.execute(world.gateway.paymentFailedEvent(attempt.paymentIdempotencyKey(),
                "insufficient_funds"));

        assertThat(world.attempts(org.id()).get(0).status()).isEqualTo(Status.FAILED);
        assertThat(world.settings(org.id()).consecutiveFailures()).isEqualTo(1);
        assertThat(world.settings(org.id()).lastFailureReason()).isEqualTo("insufficient_funds");
    }

    @Test
    void a_decline_reported_by_both_the_worker_and_the_webhook_counts_once() {
        world.gateway.nextCharges(Charge.DECLINE);
        world.spend(org.id(), 4_500);
        world.runAutoTopups.execute();
        AutoTopupAttempt attempt = world.attempts(org.id()).get(0);

        world.handleEvent.execute(world.gateway.paymentFailedEvent(attempt.paymentIdempotencyKey(), "card_declined"));

        assertThat(world.settings(org.id()).consecutiveFailures()).isEqualTo(1);
    }

    @Test
    void an_attempt_created_before_auto_top_up_was_turned_off_is_canceled_without_charging() {
        world.spend(org.id(), 4_500);
        world.updateAutoTopup.execute(UpdateAutoTopup.Command.builder().caller(org.admin()).enabled(false).build());

        RunAutoTopups.Result run = world.runAutoTopups.execute();

        assertThat(run.canceled()).isEqualTo(1);
        assertThat(world.gateway.chargeCalls()).isEmpty();
        assertThat(world.attempts(org.id()).get(0).status()).isEqualTo(Status.CANCELED);
    }

    @Test
    void a_new_crossing_after_a_success_starts_a_new_attempt() {
        world.spend(org.id(), 4_500);
        world.runAutoTopups.execute();               // balance 3 000

        world.spend(org.id(), 2_500);                // 500: crossed again

        assertThat(world.attempts(org.id())).hasSize(2);
        assertThat(world.attempts(org.id()).get(0).status()).isEqualTo(Status.PENDING);
    }

    @Test
    void a_success_webhook_for_an_unknown_attempt_or_with_another_amount_is_ignored() {
        world.spend(org.id(), 4_500);
        AutoTopupAttempt attempt = world.attempts(org.id()).get(0);
        world.runAutoTopups.execute();
        PaymentEvent.PaymentSucceeded real = world.gateway.paymentSucceededEvent(attempt.paymentIdempotencyKey());

        PaymentEvent.PaymentSucceeded unknown = new PaymentEvent.PaymentSucceeded("evt_u", real.paymentIntentId(),
                io.agentbilling.core.payment.AutoTopupAttemptId.random(), org.id(), 2_500, null);
        PaymentEvent.PaymentSucceeded otherAmount = new PaymentEvent.PaymentSucceeded("evt_a", real.paymentIntentId(),
                attempt.id(), org.id(), 9_999, null);

        assertThat(world.handleEvent.execute(unknown).outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(world.handleEvent.execute(otherAmount).outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(world.entries(org.id(), EntryType.AUTO_TOPUP)).hasSize(1);
    }

    @Test
    void an_auto_top_up_can_be_refunded() {
        world.spend(org.id(), 4_500);
        world.runAutoTopups.execute();
        String intent = world.attempts(org.id()).get(0).paymentIntentId();

        world.handleEvent.execute(world.gateway.chargeRefundedEvent(intent, org.id(), 2_500));

        assertThat(world.entries(org.id(), EntryType.REFUND)).extracting(LedgerEntry::amount)
                .containsExactly(Credits.ofCents(-2_500));
    }

    /** Brings the balance back above the threshold with a grant-free credit, then below it again. */
    private void crossAgain() {
        long balanceCents = world.balance(org.id()).toCentsFloor();
        if (balanceCents < 1_000) {
            world.paidTopup(org, Math.max(500, 2_000 - balanceCents));
        }
        world.spend(org.id(), world.balance(org.id()).toCentsFloor() - 500);
    }
}
