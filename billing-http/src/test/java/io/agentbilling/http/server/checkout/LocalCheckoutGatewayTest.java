package io.agentbilling.http.server.checkout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.CheckoutRequest;
import io.agentbilling.core.payment.CheckoutSession;
import io.agentbilling.core.payment.CheckoutSession.CheckoutState;
import io.agentbilling.core.payment.OffSessionChargeRequest;
import io.agentbilling.core.payment.OffSessionChargeResult;
import io.agentbilling.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The local checkout gateway behaves like Stripe where the core can tell, with no network and no money. */
class LocalCheckoutGatewayTest {
    private final MutableClock clock = MutableClock.at("2026-03-01T10:00:00Z");
    private final LocalCheckoutGateway gateway = new LocalCheckoutGateway("https://billing.example.com/", clock);
    private final OrgId org = OrgId.random();

    private CheckoutSession open(long cents, String key) {
        return gateway.createCheckoutSession(new CheckoutRequest(org, Credits.ofCents(cents), "cus_local_x",
                "https://app.example.com/done?session_id={CHECKOUT_SESSION_ID}", "https://app.example.com/back", key));
    }

    @Test
    void a_new_session_is_open_with_its_page_on_this_server() {
        CheckoutSession session = open(2500, "k1");

        assertThat(session.id()).matches("cs_local_[A-Za-z0-9]{24}");
        assertThat(session.checkoutUrl()).isEqualTo("https://billing.example.com/checkout/" + session.id());
        assertThat(session.state()).isEqualTo(CheckoutState.OPEN);
        assertThat(session.paid()).isFalse();
        assertThat(session.orgId()).isEqualTo(org);
        assertThat(session.amountCents()).isEqualTo(2500);
        assertThat(gateway.fetchCheckoutSession(session.id())).contains(session);
        assertThat(gateway.name()).isEqualTo("local");
    }

    @Test
    void the_same_idempotency_key_returns_the_same_session_even_from_racing_threads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Set<String> ids = ConcurrentHashMap.newKeySet();
            List<Future<?>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    ids.add(open(2500, "same-key").id());
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : futures) {
                future.get(10, TimeUnit.SECONDS);
            }
            assertThat(ids).hasSize(1);
            assertThat(open(2500, "another-key").id()).isNotIn(ids);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void paying_completes_the_session_saves_the_card_and_redirects_with_the_session_id() {
        CheckoutSession session = open(2500, "k2");

        LocalCheckoutGateway.PayOutcome outcome = gateway.pay(session.id());

        assertThat(outcome).isInstanceOf(LocalCheckoutGateway.PayOutcome.Paid.class);
        LocalCheckoutGateway.PayOutcome.Paid paid = (LocalCheckoutGateway.PayOutcome.Paid) outcome;
        assertThat(paid.session().successRedirect()).isEqualTo("https://app.example.com/done?session_id=" + session.id());
        CheckoutSession fetched = gateway.fetchCheckoutSession(session.id()).orElseThrow();
        assertThat(fetched.state()).isEqualTo(CheckoutState.COMPLETE);
        assertThat(fetched.paid()).isTrue();
        assertThat(fetched.paymentMethodId()).isEqualTo(LocalCheckoutGateway.CARD);
        assertThat(fetched.customerId()).isEqualTo("cus_local_x");
        assertThat(fetched.paymentIntentId()).startsWith("pi_local_");
        assertThat(paid.event().session()).isEqualTo(fetched);
        assertThat(paid.event().eventId()).isEqualTo("evt_local_" + session.id());
        // Paying again answers the same, so the engine sees the same event id and applies it once.
        assertThat(gateway.pay(session.id())).isEqualTo(outcome);
    }

    @Test
    void an_unpaid_session_expires_after_a_day_and_can_no_longer_be_paid() {
        CheckoutSession session = open(2500, "k3");
        clock.advance(LocalCheckoutGateway.SESSION_LIFETIME.minusSeconds(1));
        assertThat(gateway.fetchCheckoutSession(session.id()).orElseThrow().state()).isEqualTo(CheckoutState.OPEN);

        clock.advance(Duration.ofSeconds(1));

        assertThat(gateway.fetchCheckoutSession(session.id()).orElseThrow().state()).isEqualTo(CheckoutState.EXPIRED);
        assertThat(gateway.pay(session.id())).isInstanceOf(LocalCheckoutGateway.PayOutcome.Expired.class);
        assertThat(gateway.fetchCheckoutSession(session.id()).orElseThrow().paid()).isFalse();
    }

    @Test
    void unknown_and_malformed_session_ids_are_not_known() {
        assertThat(gateway.fetchCheckoutSession("cs_local_AAAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
        assertThat(gateway.fetchCheckoutSession("cs_test_abc")).isEmpty();
        assertThat(gateway.fetchCheckoutSession(null)).isEmpty();
        assertThat(gateway.pay("<script>")).isInstanceOf(LocalCheckoutGateway.PayOutcome.Unknown.class);
    }

    @Test
    void customers_and_charges_derive_from_their_keys_so_retries_and_restarts_get_the_same_ids() {
        LocalCheckoutGateway afterRestart = new LocalCheckoutGateway("https://billing.example.com", clock);
        assertThat(gateway.createCustomer(org, "Acme", "customer-" + org))
                .startsWith("cus_local_")
                .isEqualTo(afterRestart.createCustomer(org, "Acme", "customer-" + org))
                .isNotEqualTo(gateway.createCustomer(org, "Acme", "customer-other"));

        AutoTopupAttemptId attempt = AutoTopupAttemptId.random();
        OffSessionChargeRequest charge = new OffSessionChargeRequest(attempt, org, Credits.ofCents(2500),
                "cus_local_x", LocalCheckoutGateway.CARD, "autotopup:" + attempt);
        OffSessionChargeResult first = gateway.chargeOffSession(charge);
        assertThat(first.status()).isEqualTo(OffSessionChargeResult.Status.SUCCEEDED);
        assertThat(first.paymentIntentId()).startsWith("pi_local_");
        assertThat(afterRestart.chargeOffSession(charge)).isEqualTo(first);

        OffSessionChargeResult otherCard = gateway.chargeOffSession(new OffSessionChargeRequest(attempt, org,
                Credits.ofCents(2500), "cus_local_x", "pm_1Other", "autotopup:other"));
        assertThat(otherCard.status()).isEqualTo(OffSessionChargeResult.Status.FAILED);
        assertThat(otherCard.failureCode()).isEqualTo("resource_missing");
    }

    @Test
    void webhooks_are_refused_as_a_bad_request() {
        BillingException refused = catchThrowableOfType(BillingException.class,
                () -> gateway.parseWebhook("{}".getBytes(StandardCharsets.UTF_8), "t=1,v1=x"));
        assertThat(refused.error()).isEqualTo(BillingError.BAD_REQUEST);
    }

    @Test
    void the_table_keeps_the_newest_sessions_only() {
        CheckoutSession oldest = open(500, "first");
        for (int i = 0; i < LocalCheckoutGateway.MAX_SESSIONS; i++) {
            open(500, "k-" + i);
        }
        assertThat(gateway.fetchCheckoutSession(oldest.id())).isEmpty();
    }

    @Test
    void pages_escape_what_they_show_and_format_dollars() {
        assertThat(LocalCheckoutRoutes.escape("<a href=\"x\">&'</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
        assertThat(LocalCheckoutRoutes.dollars(2500)).isEqualTo("$25.00");
        assertThat(LocalCheckoutRoutes.dollars(123_456_789)).isEqualTo("$1,234,567.89");
        assertThat(LocalCheckoutRoutes.dollars(505)).isEqualTo("$5.05");
    }
}
