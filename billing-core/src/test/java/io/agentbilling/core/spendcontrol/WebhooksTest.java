package io.agentbilling.core.spendcontrol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.error.FieldIssue;
import io.agentbilling.core.port.WebhookSender;
import io.agentbilling.core.usecase.CreateWebhookEndpoint;
import io.agentbilling.core.usecase.ManageWebhookEndpoints;
import io.agentbilling.core.usecase.SetMemberBudget;
import io.agentbilling.core.usecase.StartTopup;
import io.agentbilling.core.usecase.UpdateAutoTopup;
import io.agentbilling.core.usecase.UpdateSpendSettings;
import io.agentbilling.core.usecase.VerifyCheckout;
import io.agentbilling.core.webhooks.DeliveryHistory;
import io.agentbilling.core.webhooks.DeliveryStatus;
import io.agentbilling.core.webhooks.RetrySchedule;
import io.agentbilling.core.webhooks.WebhookDeliveryId;
import io.agentbilling.core.webhooks.WebhookEndpoint;
import io.agentbilling.testkit.FakePaymentGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events recorded in the outbox with their cause, and delivered at least once with backoff, on the in-memory engine. */
class WebhooksTest {
    private static final List<String> ALL = List.of("balance.low", "balance.depleted", "budget.threshold",
            "topup.succeeded", "topup.failed", "auto_topup.succeeded", "auto_topup.failed", "auto_topup.disabled",
            "hold.expired");

    private final SpendWorld world = new SpendWorld(1_000, new RetrySchedule(Duration.ofSeconds(10),
            Duration.ofMinutes(1), Duration.ofMinutes(5)));

    private CreateWebhookEndpoint.Created endpoint(List<String> events) {
        return world.billing.webhooks().createEndpoint().execute(new CreateWebhookEndpoint.Command(
                world.adminCaller(), null, "https://hooks.acme.test/billing", events));
    }

    private List<String> sentTypes() {
        world.billing.webhooks().deliver().execute(100);
        return world.sender.sent.stream().map(WebhookSender.Request::eventType).toList();
    }

    private ManageWebhookEndpoints endpoints() {
        return world.billing.webhooks().endpoints();
    }

    @Test
    void an_endpoint_gets_a_secret_once_which_is_stored_sealed_and_used_to_send() {
        CreateWebhookEndpoint.Created created = endpoint(ALL);
        assertThat(created.secret()).startsWith("whsec_").hasSizeGreaterThan(40);
        WebhookEndpoint stored = endpoints().get(world.adminCaller(), created.endpoint().id());
        assertThat(stored.sealedSecret()).isEqualTo("plain:" + created.secret());
        world.deduct(1_000, null, null, null);
        sentTypes();
        assertThat(world.sender.sent).singleElement().satisfies(r -> {
            assertThat(r.secret()).isEqualTo(created.secret());
            assertThat(r.eventType()).isEqualTo("balance.depleted");
            assertThat(r.body()).startsWith("{\"id\":\"" + r.eventId() + "\",\"type\":\"balance.depleted\"")
                    .contains("\"orgId\":\"" + world.org + "\"").contains("\"balanceCents\":0");
        });
    }

    @Test
    void balance_low_is_sent_once_per_crossing_and_depleted_when_the_balance_reaches_zero() {
        endpoint(List.of("balance.low", "balance.depleted"));
        world.billing.spendControls().updateSpendSettings().execute(UpdateSpendSettings.Command.builder()
                .caller(world.adminCaller()).balanceLowThresholdCents(500).build());
        world.deduct(400, null, null, null);          // 600
        world.deduct(200, null, null, null);          // 400: crossed
        world.deduct(100, null, null, null);          // 300: still below
        assertThat(sentTypes()).containsExactly("balance.low");
        world.billing.adjustCredit().execute(io.agentbilling.core.usecase.AdjustCredit.Command.builder()
                .orgId(world.org).amountCents(500).reason("credit").idempotencyKey("back-up").build()); // 800
        world.deduct(800, null, null, null);          // 0: crossed both
        assertThat(sentTypes()).containsExactlyInAnyOrder("balance.low", "balance.low", "balance.depleted");
        world.deduct(1, null, null, null);            // below zero already: nothing
        assertThat(sentTypes()).hasSize(3);
    }

    @Test
    void budget_threshold_is_sent_at_80_and_100_percent_once_per_period() {
        endpoint(List.of("budget.threshold"));
        world.billing.spendControls().setMemberBudget().execute(SetMemberBudget.Command.builder()
                .caller(world.adminCaller()).memberId(world.dev.id()).monthlyLimitCents(100L).build());
        world.deduct(79, world.dev.id(), null, null);
        assertThat(sentTypes()).isEmpty();
        world.deduct(1, world.dev.id(), null, null);
        world.deduct(5, world.dev.id(), null, null);
        assertThat(sentTypes()).hasSize(1);
        world.deduct(50, world.dev.id(), null, null);
        world.deduct(50, world.dev.id(), null, null);
        assertThat(sentTypes()).hasSize(2);
        assertThat(world.sender.sent.get(0).body()).contains("\"percent\":80").contains("\"limit\":\"member_monthly\"");
        assertThat(world.sender.sent.get(1).body()).contains("\"percent\":100");
    }

    @Test
    void a_top_up_landing_and_a_failed_checkout_are_events_and_so_are_auto_top_up_failures() {
        endpoint(ALL);
        String session = world.billing.startTopup().execute(StartTopup.Command.builder()
                .caller(world.adminCaller()).amountCents(2_000).build()).sessionId();
        world.gateway.payCheckout(session);
        world.billing.verifyCheckout().execute(new VerifyCheckout.Command(world.adminCaller(), session));
        world.billing.verifyCheckout().execute(new VerifyCheckout.Command(world.adminCaller(), session));
        assertThat(sentTypes()).containsExactly("topup.succeeded");
        String unpaid = world.billing.startTopup().execute(StartTopup.Command.builder()
                .caller(world.adminCaller()).amountCents(700).build()).sessionId();
        world.billing.handlePaymentEvent().execute(world.gateway.checkoutFailedEvent(unpaid, "card_declined"));
        world.billing.handlePaymentEvent().execute(world.gateway.checkoutFailedEvent(unpaid, "card_declined"));
        assertThat(sentTypes()).containsExactly("topup.succeeded", "topup.failed");
        assertThat(world.sender.sent.get(1).body()).contains("\"reason\":\"card_declined\"")
                .contains("\"amountCents\":700");

        world.billing.updateAutoTopup().execute(UpdateAutoTopup.Command.builder().caller(world.adminCaller())
                .enabled(true).thresholdCents(1_000).topupAmountCents(500).build());
        world.gateway.nextCharges(FakePaymentGateway.Charge.DECLINE, FakePaymentGateway.Charge.DECLINE,
                FakePaymentGateway.Charge.DECLINE);
        for (int i = 0; i < 3; i++) {
            world.deduct(world.balance().toCentsFloor() - 999, null, null, null); // just below the threshold
            world.billing.runAutoTopups().execute();
            world.billing.adjustCredit().execute(io.agentbilling.core.usecase.AdjustCredit.Command.builder()
                    .orgId(world.org).amountCents(1_000).reason("refill").idempotencyKey("refill-" + i).build());
        }
        assertThat(sentTypes()).containsExactlyInAnyOrder("topup.succeeded", "topup.failed", "auto_topup.failed",
                "auto_topup.failed", "auto_topup.failed", "auto_topup.disabled");
    }

    @Test
    void a_failing_receiver_is_retried_with_backoff_until_it_answers_and_the_event_id_stays_the_same() {
        endpoint(List.of("balance.depleted"));
        world.sender.answer(r -> WebhookSender.Outcome.answered(500, 3));
        world.deduct(1_000, null, null, null);
        world.billing.webhooks().deliver().execute(100);
        world.billing.webhooks().deliver().execute(100);
        assertThat(world.sender.sent).hasSize(1).as("not due again before the backoff");
        world.advance(Duration.ofSeconds(10));
        world.billing.webhooks().deliver().execute(100);
        world.sender.answer(r -> WebhookSender.Outcome.answered(204, 3));
        world.advance(Duration.ofSeconds(20));
        world.billing.webhooks().deliver().execute(100);
        world.advance(Duration.ofHours(1));
        world.billing.webhooks().deliver().execute(100);
        assertThat(world.sender.sent).hasSize(3).extracting(WebhookSender.Request::eventId).containsOnly(
                world.sender.sent.get(0).eventId());

        ManageWebhookEndpoints.Page page = endpoints().deliveries(world.adminCaller(),
                endpoints().list(world.adminCaller(), null).get(0).id(), null, null);
        DeliveryHistory history = page.deliveries().get(0);
        assertThat(history.delivery().status()).isEqualTo(DeliveryStatus.SUCCEEDED);
        assertThat(history.attempts()).extracting(a -> a.responseCode()).containsExactly(500, 500, 204);
    }

    @Test
    void a_delivery_gives_up_when_its_window_closes_and_a_manual_retry_sends_it_again() {
        WebhookEndpoint endpoint = endpoint(List.of("balance.depleted")).endpoint();
        world.sender.answer(r -> WebhookSender.Outcome.failed("connection refused", 1));
        world.deduct(1_000, null, null, null);
        for (int i = 0; i < 20; i++) {
            world.billing.webhooks().deliver().execute(100);
            world.advance(Duration.ofMinutes(1));
        }
        DeliveryHistory failed = endpoints().deliveries(world.adminCaller(), endpoint.id(), null, null)
                .deliveries().get(0);
        assertThat(failed.delivery().status()).isEqualTo(DeliveryStatus.FAILED);
        assertThat(failed.attempts()).hasSizeBetween(4, 7);
        assertThat(failed.attempts().get(0).error()).isEqualTo("connection refused");

        world.sender.answer(r -> WebhookSender.Outcome.answered(200, 1));
        DeliveryHistory queued = endpoints().retry(world.adminCaller(), endpoint.id(), failed.delivery().id());
        assertThat(queued.delivery().status()).isEqualTo(DeliveryStatus.PENDING);
        world.billing.webhooks().deliver().execute(100);
        assertThat(endpoints().deliveries(world.adminCaller(), endpoint.id(), null, null).deliveries().get(0)
                .delivery().status()).isEqualTo(DeliveryStatus.SUCCEEDED);
    }

    @Test
    void a_manual_retry_is_refused_while_an_attempt_of_the_delivery_is_being_sent() {
        WebhookEndpoint endpoint = endpoint(List.of("balance.depleted")).endpoint();
        world.deduct(1_000, null, null, null);
        WebhookDeliveryId delivery = endpoints().deliveries(world.adminCaller(), endpoint.id(), null, null)
                .deliveries().get(0).delivery().id();
        List<BillingException> refusedDuringSend = new ArrayList<>();
        world.sender.answer(r -> {
            // The admin presses retry while the worker's request is on its way: making the delivery due now would let
            // another instance's worker send it at the same time.
            try {
                endpoints().retry(world.adminCaller(), endpoint.id(), delivery);
            } catch (BillingException e) {
                refusedDuringSend.add(e);
            }
            return WebhookSender.Outcome.failed("read timed out", 10_000);
        });
        world.billing.webhooks().deliver().execute(100);
        assertThat(refusedDuringSend).singleElement().satisfies(e -> assertThat(e.error())
                .isEqualTo(BillingError.CONFLICT));

        // Once the attempt is recorded, the retry is taken and sends it again now, not after the backoff.
        world.sender.answer(r -> WebhookSender.Outcome.answered(200, 1));
        assertThat(endpoints().retry(world.adminCaller(), endpoint.id(), delivery).delivery().status())
                .isEqualTo(DeliveryStatus.PENDING);
        world.billing.webhooks().deliver().execute(100);
        DeliveryHistory done = endpoints().deliveries(world.adminCaller(), endpoint.id(), null, null)
                .deliveries().get(0);
        assertThat(done.delivery().status()).isEqualTo(DeliveryStatus.SUCCEEDED);
        assertThat(done.attempts()).extracting(a -> a.responseCode()).containsExactly(null, 200);
    }

    @Test
    void deleting_an_endpoint_cancels_what_it_had_pending_and_sends_it_nothing_more() {
        WebhookEndpoint endpoint = endpoint(List.of("balance.depleted", "balance.low")).endpoint();
        world.deduct(1_000, null, null, null);
        endpoints().delete(world.adminCaller(), endpoint.id());
        assertThat(endpoints().delete(world.adminCaller(), endpoint.id()).deletedAt()).isNotNull();
        assertThat(sentTypes()).isEmpty();
        assertThat(endpoints().list(world.adminCaller(), null)).isEmpty();
        assertThat(endpoints().deliveries(world.adminCaller(), endpoint.id(), null, null).deliveries())
                .extracting(h -> h.delivery().status()).containsExactly(DeliveryStatus.CANCELED);
        assertThatThrownBy(() -> endpoints().get(world.adminCaller(), endpoint.id()))
                .isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.error()).isEqualTo(BillingError.NOT_FOUND));
    }

    @Test
    void deliveries_page_newest_first_with_a_cursor() {
        WebhookEndpoint endpoint = endpoint(List.of("hold.expired")).endpoint();
        for (int i = 0; i < 5; i++) {
            world.hold(1, null, null, 1);
            world.advance(Duration.ofSeconds(2));
            world.billing.spendControls().expireHolds().execute(10);
        }
        ManageWebhookEndpoints.Page first = endpoints().deliveries(world.adminCaller(), endpoint.id(), 2, null);
        assertThat(first.hasMore()).isTrue();
        ManageWebhookEndpoints.Page second = endpoints().deliveries(world.adminCaller(), endpoint.id(), 2,
                first.nextCursor());
        ManageWebhookEndpoints.Page third = endpoints().deliveries(world.adminCaller(), endpoint.id(), 2,
                second.nextCursor());
        assertThat(third.hasMore()).isFalse();
        assertThat(third.nextCursor()).isNull();
        assertThat(first.deliveries().get(0).delivery().createdAt())
                .isAfter(third.deliveries().get(0).delivery().createdAt());
        assertThat(List.of(first, second, third)).flatExtracting(ManageWebhookEndpoints.Page::deliveries)
                .extracting(h -> h.delivery().id()).doesNotHaveDuplicates().hasSize(5);
        assertRefused(() -> endpoints().deliveries(world.adminCaller(), endpoint.id(), 2, "not-a-cursor"),
                BillingError.BAD_REQUEST, "cursor");
    }

    @Test
    void bad_endpoints_are_refused_naming_the_field_and_members_cannot_manage_them() {
        assertRefused(() -> world.billing.webhooks().createEndpoint().execute(new CreateWebhookEndpoint.Command(
                world.adminCaller(), null, "ftp://hooks.acme.test/x", ALL)), BillingError.BAD_REQUEST, "url");
        assertRefused(() -> world.billing.webhooks().createEndpoint().execute(new CreateWebhookEndpoint.Command(
                world.adminCaller(), null, "https://user:pw@hooks.acme.test/x", ALL)), BillingError.BAD_REQUEST, "url");
        assertRefused(() -> world.billing.webhooks().createEndpoint().execute(new CreateWebhookEndpoint.Command(
                world.adminCaller(), null, "https://hooks.acme.test/x", List.of("balance.lo"))),
                BillingError.BAD_REQUEST, "events");
        assertRefused(() -> world.billing.webhooks().createEndpoint().execute(new CreateWebhookEndpoint.Command(
                world.adminCaller(), null, "https://hooks.acme.test/x", List.of())), BillingError.BAD_REQUEST,
                "events");
        world.sender.refuseHost("10.0.0.1");
        assertRefused(() -> world.billing.webhooks().createEndpoint().execute(new CreateWebhookEndpoint.Command(
                world.adminCaller(), null, "http://10.0.0.1/hook", ALL)), BillingError.BAD_REQUEST, "url");
        assertRefused(() -> world.billing.webhooks().createEndpoint().execute(new CreateWebhookEndpoint.Command(
                io.agentbilling.core.access.Caller.of(world.dev), null, "https://hooks.acme.test/x", ALL)),
                BillingError.FORBIDDEN, null);
        for (int i = 0; i < CreateWebhookEndpoint.MAX_ENDPOINTS_PER_ORG; i++) {
            endpoint(ALL);
        }
        assertRefused(() -> endpoint(ALL), BillingError.UNPROCESSABLE, "url");
    }

    private CreateWebhookEndpoint.Created endpoint(String key, String url, List<String> events) {
        return world.billing.webhooks().createEndpoint().execute(new CreateWebhookEndpoint.Command(
                world.adminCaller(), null, url, events, key));
    }

    @Test
    void a_registration_retried_with_its_idempotency_key_returns_the_same_endpoint_and_secret() {
        CreateWebhookEndpoint.Created first = endpoint("create-1", "https://hooks.acme.test/a",
                List.of("balance.low", "topup.failed"));
        assertThat(first.replayed()).isFalse();
        // The same request, its event types listed in another order and twice: a replay.
        CreateWebhookEndpoint.Created again = endpoint("create-1", "https://hooks.acme.test/a",
                List.of("topup.failed", "balance.low", "topup.failed"));
        assertThat(again.replayed()).isTrue();
        assertThat(again.endpoint()).isEqualTo(first.endpoint());
        assertThat(again.secret()).isEqualTo(first.secret());
        assertThat(endpoints().list(world.adminCaller(), null)).containsExactly(first.endpoint());

        assertRefused(() -> endpoint("create-1", "https://hooks.acme.test/b", List.of("balance.low", "topup.failed")),
                BillingError.IDEMPOTENCY_CONFLICT, null);
        assertRefused(() -> endpoint("create-1", "https://hooks.acme.test/a", List.of("balance.low")),
                BillingError.IDEMPOTENCY_CONFLICT, null);
        // Another key, or none, registers another endpoint.
        CreateWebhookEndpoint.Created other = endpoint("create-2", "https://hooks.acme.test/a",
                List.of("balance.low", "topup.failed"));
        CreateWebhookEndpoint.Created keyless = endpoint(List.of("balance.low"));
        CreateWebhookEndpoint.Created keylessAgain = endpoint(List.of("balance.low"));
        assertThat(List.of(other, keyless, keylessAgain)).extracting(c -> c.endpoint().id()).doesNotHaveDuplicates()
                .doesNotContain(first.endpoint().id());
        assertThat(keylessAgain.replayed()).isFalse();

        // Deleted, the endpoint is still what its key registered; and a replay is answered even at the limit.
        endpoints().delete(world.adminCaller(), first.endpoint().id());
        for (int i = endpoints().list(world.adminCaller(), null).size();
             i < CreateWebhookEndpoint.MAX_ENDPOINTS_PER_ORG; i++) {
            endpoint(List.of("hold.expired"));
        }
        CreateWebhookEndpoint.Created afterDeletion = endpoint("create-1", "https://hooks.acme.test/a",
                List.of("balance.low", "topup.failed"));
        assertThat(afterDeletion.replayed()).isTrue();
        assertThat(afterDeletion.endpoint().id()).isEqualTo(first.endpoint().id());
        assertThat(afterDeletion.secret()).isEqualTo(first.secret());
        assertRefused(() -> endpoint("create-3", "https://hooks.acme.test/a", List.of("balance.low")),
                BillingError.UNPROCESSABLE, "url");
        assertRefused(() -> endpoint(" ", "https://hooks.acme.test/a", List.of("balance.low")),
                BillingError.BAD_REQUEST, "idempotencyKey");
    }

    private static void assertRefused(Runnable call, BillingError error, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(BillingException.class, e -> {
            assertThat(e.error()).isEqualTo(error);
            if (field != null) {
                assertThat(e.details()).extracting(FieldIssue::field).contains(field);
            }
        });
    }
}
