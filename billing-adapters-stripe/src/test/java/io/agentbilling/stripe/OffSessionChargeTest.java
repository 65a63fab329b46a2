package io.agentbilling.stripe;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.OffSessionChargeRequest;
import io.agentbilling.core.payment.OffSessionChargeResult;
import io.agentbilling.core.payment.OffSessionChargeResult.Status;
import io.agentbilling.stripe.fake.Fault;
import io.agentbilling.stripe.fake.RecordedRequest;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

class OffSessionChargeTest extends GatewayTestSupport {
    private String customerId;
    private String paymentMethodId;
    private OffSessionChargeRequest request;

    @BeforeEach
    void savedCard() {
        customerId = fake.addCustomer();
        paymentMethodId = fake.attachPaymentMethod(customerId);
        request = chargeOf(2000, "autotopup:" + org + ":1");
    }

    @Test
    void a_successful_charge_is_confirmed_off_session_with_the_attempt_in_its_metadata() {
        OffSessionChargeResult result = gateway.chargeOffSession(request);

        RecordedRequest sent = fake.onlyRequest("POST", "/v1/payment_intents");
        assertThat(sent.params()).contains(
                entry("amount", "2000"),
                entry("currency", "usd"),
                entry("customer", customerId),
                entry("payment_method", paymentMethodId),
                entry("off_session", "true"),
                entry("confirm", "true"),
                entry("metadata[org_id]", org.toString()),
                entry("metadata[auto_topup_attempt_id]", request.attemptId().toString()));
        assertThat(sent.idempotencyKey()).isEqualTo("autotopup:" + org + ":1");
        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(result.paymentIntentId()).startsWith("pi_");
        assertThat(fake.paymentIntent(result.paymentIntentId()).get("status").getAsString()).isEqualTo("succeeded");
        assertThat(fake.succeededChargeCount()).isEqualTo(1);
    }

    @Test
    void a_charge_that_is_not_settled_yet_is_processing() {
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.processing());

        OffSessionChargeResult result = gateway.chargeOffSession(request);

        assertThat(result.status()).isEqualTo(Status.PROCESSING);
        assertThat(result.paymentIntentId()).startsWith("pi_");
        assertThat(fake.succeededChargeCount()).isZero();
    }

    @Test
    void a_declined_card_is_a_failed_result_with_the_issuers_decline_code_and_the_failed_intent() {
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.cardDeclined("insufficient_funds"));

        OffSessionChargeResult result = gateway.chargeOffSession(request);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.failureCode()).isEqualTo("insufficient_funds");
        assertThat(result.failureMessage()).isEqualTo("Your card was declined.");
        assertThat(result.paymentIntentId()).startsWith("pi_");
        assertThat(fake.paymentIntent(result.paymentIntentId()).get("status").getAsString())
                .isEqualTo("requires_payment_method");
        assertThat(fake.succeededChargeCount()).isZero();
    }

    @Test
    void a_card_that_needs_authentication_fails_with_authentication_required() {
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.authenticationRequired());

        OffSessionChargeResult result = gateway.chargeOffSession(request);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.failureCode()).isEqualTo("authentication_required");
        assertThat(result.failureMessage()).contains("requires authentication");
        assertThat(result.paymentIntentId()).startsWith("pi_");
    }

    @Test
    void a_decline_without_a_decline_code_reports_the_error_code() {
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.expiredCard());

        OffSessionChargeResult result = gateway.chargeOffSession(request);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.failureCode()).isEqualTo("expired_card");
    }

    @Test
    void retrying_a_declined_attempt_with_its_key_replays_the_decline_and_creates_no_second_intent() {
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.cardDeclined("insufficient_funds"));

        OffSessionChargeResult first = gateway.chargeOffSession(request);
        OffSessionChargeResult second = gateway.chargeOffSession(request);

        assertThat(second).isEqualTo(first);
        assertThat(fake.paymentIntents()).hasSize(1);
        assertThat(fake.requests("POST", "/v1/payment_intents")).extracting(RecordedRequest::replayed)
                .containsExactly(false, true);
    }

    @Test
    void a_server_error_is_retried_by_the_library_with_the_same_key_and_charges_once() {
        StripePaymentGateway retrying = new StripePaymentGateway(config().withMaxNetworkRetries(2));
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.serverError());

        OffSessionChargeResult result = retrying.chargeOffSession(request);

        assertThat(result.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(fake.requests("POST", "/v1/payment_intents"))
                .extracting(RecordedRequest::status, RecordedRequest::idempotencyKey)
                .containsExactly(
                        tuple(500, request.idempotencyKey()),
                        tuple(200, request.idempotencyKey()));
        assertThat(fake.succeededChargeCount()).isEqualTo(1);
    }

    @Test
    void a_server_error_without_retries_is_a_provider_error_and_our_retry_with_the_same_key_charges_once() {
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.serverError());

        assertBillingError(() -> gateway.chargeOffSession(request), BillingError.PAYMENT_PROVIDER_ERROR);
        OffSessionChargeResult retried = gateway.chargeOffSession(request);

        assertThat(retried.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(fake.requests("POST", "/v1/payment_intents")).extracting(RecordedRequest::idempotencyKey)
                .containsExactly(request.idempotencyKey(), request.idempotencyKey());
        assertThat(fake.succeededChargeCount()).isEqualTo(1);
    }

    @Test
    void a_timeout_is_a_provider_error_and_the_retry_with_the_same_key_gets_the_stored_charge() {
        StripePaymentGateway impatient = new StripePaymentGateway(
                config().withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)));
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.delay(Duration.ofMillis(1500)));

        assertBillingError(() -> impatient.chargeOffSession(request), BillingError.PAYMENT_PROVIDER_ERROR);
        assertThat(fake.succeededChargeCount()).as("Stripe charged before the client gave up").isEqualTo(1);
        OffSessionChargeResult retried = impatient.chargeOffSession(request);

        assertThat(retried.status()).isEqualTo(Status.SUCCEEDED);
        assertThat(retried.paymentIntentId()).isEqualTo(fake.paymentIntents().get(0).get("id").getAsString());
        assertThat(fake.requests("POST", "/v1/payment_intents")).extracting(RecordedRequest::replayed)
                .containsExactly(false, true);
        assertThat(fake.succeededChargeCount()).isEqualTo(1);
    }

    @Test
    void being_rate_limited_is_a_provider_error() {
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.rateLimited());

        assertBillingError(() -> gateway.chargeOffSession(request), BillingError.PAYMENT_PROVIDER_ERROR);
        assertThat(fake.succeededChargeCount()).isZero();
    }

    @Test
    void reusing_a_key_for_another_amount_is_refused_and_charges_nothing_more() {
        gateway.chargeOffSession(request);
        OffSessionChargeRequest sameKeyOtherAmount = chargeOf(3000, request.idempotencyKey());

        assertBillingError(() -> gateway.chargeOffSession(sameKeyOtherAmount), BillingError.PAYMENT_PROVIDER_ERROR);
        assertThat(fake.requests("POST", "/v1/payment_intents").get(1).status()).isEqualTo(400);
        assertThat(fake.succeededChargeCount()).isEqualTo(1);
    }

    @Test
    void a_saved_card_that_was_removed_is_a_failed_result_not_an_error() {
        fake.detachPaymentMethod(paymentMethodId);

        OffSessionChargeResult result = gateway.chargeOffSession(request);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.failureCode()).isEqualTo("invalid_payment_method");
        assertThat(result.failureMessage()).contains("not attached");
    }

    @Test
    void a_saved_card_stripe_does_not_know_is_a_failed_result_not_an_error() {
        OffSessionChargeRequest unknownCard = new OffSessionChargeRequest(AutoTopupAttemptId.random(), org,
                Credits.ofCents(2000), customerId, "pm_gone", "autotopup:" + org + ":9");

        OffSessionChargeResult result = gateway.chargeOffSession(unknownCard);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.failureCode()).isEqualTo("resource_missing");
        assertThat(result.paymentIntentId()).isNull();
    }

    @Test
    void a_rejected_api_key_is_a_configuration_bug() {
        fake.failNext(1, Fault.unauthorized());

        assertThatThrownBy(() -> gateway.chargeOffSession(request)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void an_idempotency_key_stripe_would_refuse_is_refused_before_calling_it() {
        OffSessionChargeRequest tooLong = chargeOf(2000, "k".repeat(256));

        assertThatThrownBy(() -> gateway.chargeOffSession(tooLong)).isInstanceOf(IllegalArgumentException.class);
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void an_intent_answered_as_requiring_action_is_a_failed_authentication_not_a_pending_charge() {
        // Stripe answers an off-session confirm that needs 3-D Secure with a 402; a 200 in this state means the same.
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.paymentIntentStatus("requires_action"));

        OffSessionChargeResult result = gateway.chargeOffSession(request);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.failureCode()).isEqualTo("authentication_required");
        assertThat(result.paymentIntentId()).startsWith("pi_");
    }

    @Test
    void an_intent_answered_as_canceled_is_failed() {
        fake.failNext("POST", "/v1/payment_intents", 1, Fault.paymentIntentStatus("canceled"));

        OffSessionChargeResult result = gateway.chargeOffSession(request);

        assertThat(result.status()).isEqualTo(Status.FAILED);
        assertThat(result.failureCode()).isEqualTo("canceled");
    }

    private OffSessionChargeRequest chargeOf(long cents, String idempotencyKey) {
        return new OffSessionChargeRequest(AutoTopupAttemptId.random(), org, Credits.ofCents(cents), customerId,
                paymentMethodId, idempotencyKey);
    }
}
