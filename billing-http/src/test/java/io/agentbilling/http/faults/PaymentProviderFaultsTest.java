package io.agentbilling.http.faults;

import static io.agentbilling.http.faults.FaultServers.deduction;
import static io.agentbilling.http.faults.FaultServers.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestClient;
import io.agentbilling.http.support.Answer;
import com.google.gson.JsonObject;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import io.agentbilling.stripe.fake.Fault;
import io.agentbilling.stripe.fake.FakeStripeServer;
import io.agentbilling.stripe.fake.RecordedRequest;
import io.agentbilling.stripe.fake.StripeEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stripe failing under the real server (in-process, the real stripe-java client against the fake Stripe server):
 * 5xx answers and answers slower than the read timeout during a top-up, its success verification and auto top-ups.
 * Whatever fails, no checkout is credited twice, no card is charged twice, and an auto top-up whose charge succeeded
 * at Stripe but whose answer was lost is reconciled — by the worker's retry with the same idempotency key, or by the
 * webhook, whichever comes first — into exactly one charge and one {@code auto_topup} entry.
 */
class PaymentProviderFaultsTest {
    private static final String WEBHOOK_SECRET = "whsec_faults_0123456789abcdef";
    private static final Duration SLOWER_THAN_READ_TIMEOUT = Duration.ofMillis(1_500);
    private static final TestClient HTTP = FaultServers.client();

    private static DatabaseConfig database;
    private static FakeStripeServer stripe;
    private static BillingApplication app;
    private static String base;

    @BeforeAll
    static void start() {
        database = TestDatabases.freshDatabase("stripe_faults");
        stripe = FakeStripeServer.start();
        app = FaultServers.start(database, Map.of(
                ServerConfig.STRIPE_SECRET_KEY, "sk_test_faults_0123456789",
                ServerConfig.STRIPE_WEBHOOK_SECRET, WEBHOOK_SECRET,
                ServerConfig.STRIPE_API_BASE, stripe.baseUrl(),
                ServerConfig.STRIPE_READ_TIMEOUT_MILLIS, "700",
                ServerConfig.STRIPE_MAX_NETWORK_RETRIES, "2",
                ServerConfig.AUTO_TOPUP_RETRY_SECONDS, "1"));
        base = FaultServers.base(app);
    }

    @AfterAll
    static void stop() {
        try {
            app.close();
        } finally {
            stripe.close();
            TestDatabases.dropDatabase(database);
        }
    }

    @Test
    void top_up_and_success_verification_through_5xx_and_timeouts_open_one_session_and_credit_once() {
        FaultServers.Org org = FaultServers.createOrgWithAdmin(HTTP.at(base), "pro", 0);
        String admin = org.adminKey();

        // Every try of the session create answers 500: the client is told 502 and retries with its key.
        stripe.failNext("POST", "/v1/checkout/sessions", 3, Fault.serverError());
        Answer failed = HTTP.at(base).post("/v1/billing/topup", json("amountCents", 2_500),
                "X-API-Key", admin, "Idempotency-Key", "topup-1");
        assertThat(failed.status()).as(failed.toString()).isEqualTo(502);
        assertThat(failed.errorCode()).isEqualTo("payment_provider_error");
        Answer retried = HTTP.at(base).post("/v1/billing/topup", json("amountCents", 2_500),
                "X-API-Key", admin, "Idempotency-Key", "topup-1");
        String sessionId = retried.data().path("sessionId").asText();

        // A create that Stripe executed but answered too late: the library's retry gets the same session back.
        stripe.failNext("POST", "/v1/checkout/sessions", 1, Fault.delay(SLOWER_THAN_READ_TIMEOUT));
        Answer slow = HTTP.at(base).post("/v1/billing/topup", json("amountCents", 3_000),
                "X-API-Key", admin, "Idempotency-Key", "topup-2");
        String slowSessionId = slow.data().path("sessionId").asText();
        assertThat(sessionsOf(org)).as("one session per top-up").containsExactlyInAnyOrder(sessionId, slowSessionId);

        stripe.payCheckout(sessionId);
        stripe.failNext("GET", "/v1/checkout/sessions", 3, Fault.serviceUnavailable());
        Answer unverified = HTTP.at(base).get("/v1/billing/success?session_id=" + sessionId,
                "X-API-Key", admin);
        assertThat(unverified.status()).as(unverified.toString()).isEqualTo(502);
        assertThat(topups(org)).isZero();
        stripe.failNext("GET", "/v1/checkout/sessions", 1, Fault.delay(SLOWER_THAN_READ_TIMEOUT));
        Answer verified = HTTP.at(base).get("/v1/billing/success?session_id=" + sessionId,
                "X-API-Key", admin);
        assertThat(verified.data().path("credited").asBoolean()).as(verified.toString()).isTrue();
        String completed = stripe.eventFor("checkout.session.completed", sessionId);
        assertThat(deliver(completed).status()).isEqualTo(200);
        assertThat(deliver(completed).status()).isEqualTo(200);
        Answer again = HTTP.at(base).get("/v1/billing/success?session_id=" + sessionId, "X-API-Key", admin);
        assertThat(again.data().path("entryId").asText()).isEqualTo(verified.data().path("entryId").asText());

        assertThat(topups(org)).as("credited once").isEqualTo(1);
        assertThat(new LedgerAudit(database).balanceMicros(org.orgId())).isEqualTo(2_500L * 1_000_000);
        assertThat(new LedgerAudit(database).problems()).isEmpty();
    }

    @Test
    void an_auto_top_up_whose_answer_was_lost_is_reconciled_into_one_charge_and_one_credit() throws Exception {
        FaultServers.Org org = FaultServers.createOrgWithAdmin(HTTP.at(base), "pro", 0);
        String admin = org.adminKey();
        String sessionId = HTTP.at(base).post("/v1/billing/topup", json("amountCents", 5_000),
                "X-API-Key", admin).data().path("sessionId").asText();
        stripe.payCheckout(sessionId);
        assertThat(HTTP.at(base).get("/v1/billing/success?session_id=" + sessionId, "X-API-Key", admin).data()
                .path("credited").asBoolean()).isTrue();
        Answer settings = HTTP.at(base).put("/v1/billing/auto-topup",
                json("enabled", true, "thresholdCents", 4_000, "topupAmountCents", 2_000), "X-API-Key", admin);
        assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
        LedgerAudit audit = new LedgerAudit(database);

        // 1. Stripe charges, but every answer comes too late: the worker cannot tell, and retries later with the
        //    same idempotency key; Stripe replays the charge; one credit.
        stripe.failNext("POST", "/v1/payment_intents", 3, Fault.delay(SLOWER_THAN_READ_TIMEOUT));
        debit(org, "cross-1", 1_500); // 5 000 → 3 500: crosses 4 000
        awaitAttemptCharged(org, 1);
        awaitAutoTopups(org, 1);
        assertThat(chargeKeys(org)).hasSize(1);

        // 2. The same, but the webhook reports the charge before the worker retries: it credits; the retry replays.
        stripe.failNext("POST", "/v1/payment_intents", 3, Fault.delay(SLOWER_THAN_READ_TIMEOUT));
        debit(org, "cross-2", 2_000); // 5 500 → 3 500: crosses again
        String intent = awaitAttemptCharged(org, 2);
        deliver(stripe.eventFor("payment_intent.succeeded", intent));
        awaitAutoTopups(org, 2);
        runWorkerAfterBackoff();
        assertThat(audit.entriesPerType(org.orgId())).containsEntry("auto_topup", 2);

        // 3. Stripe answers 5xx before executing anything: the worker retries and charges once.
        stripe.failNext("POST", "/v1/payment_intents", 3, Fault.serverError());
        debit(org, "cross-3", 2_000); // 5 500 → 3 500
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (audit.entriesPerType(org.orgId()).getOrDefault("auto_topup", 0) < 3 && System.nanoTime() < end) {
            runWorkerAfterBackoff();
        }
        awaitAutoTopups(org, 3);

        runWorkerAfterBackoff();
        assertThat(audit.entriesPerType(org.orgId())).containsEntry("auto_topup", 3);
        assertThat(chargeKeys(org)).as("one charge per crossing").hasSize(3);
        long succeeded = stripe.paymentIntents().stream()
                .filter(pi -> org.orgId().toString().equals(metadata(pi, "org_id")))
                .filter(pi -> "succeeded".equals(pi.get("status").getAsString())).count();
        assertThat(succeeded).as("payment intents that moved money for this org: checkout + 3").isEqualTo(4);
        assertThat(audit.balanceMicros(org.orgId())).isEqualTo((5_000L - 1_500 + 2_000 - 2_000 + 2_000 - 2_000
                + 2_000) * 1_000_000);
        assertThat(audit.problems()).isEmpty();
        assertThat(app.billing().verifyLedger().execute().drifts()).isEmpty();
    }

    private static void debit(FaultServers.Org org, String key, long cents) {
        Answer answer = FaultServers.untilNot503(() -> HTTP.at(base).internalPost("/v1/internal/billing/deductions",
                deduction(org, key, cents)));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
    }

    /** Waits until Stripe has executed the n-th off-session charge for the org; returns its payment intent. */
    private static String awaitAttemptCharged(FaultServers.Org org, int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < end) {
            List<JsonObject> intents = stripe.paymentIntents().stream()
                    .filter(pi -> org.orgId().toString().equals(metadata(pi, "org_id")))
                    .filter(pi -> metadata(pi, "auto_topup_attempt_id") != null).toList();
            if (intents.size() >= n) {
                return intents.get(n - 1).get("id").getAsString();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Stripe was not asked for charge " + n);
    }

    private static void awaitAutoTopups(FaultServers.Org org, int count) throws InterruptedException {
        LedgerAudit audit = new LedgerAudit(database);
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (audit.entriesPerType(org.orgId()).getOrDefault("auto_topup", 0) < count && System.nanoTime() < end) {
            runWorkerAfterBackoff();
        }
        assertThat(audit.entriesPerType(org.orgId())).containsEntry("auto_topup", count);
    }

    /** What the worker's next scheduled run does, once the 1 s retry backoff has passed (it runs every 5 s). */
    private static void runWorkerAfterBackoff() throws InterruptedException {
        Thread.sleep(1_100);
        app.billing().runAutoTopups().execute();
    }

    private static Set<String> chargeKeys(FaultServers.Org org) {
        return stripe.requests("POST", "/v1/payment_intents").stream()
                .filter(r -> org.orgId().toString().equals(r.param("metadata[org_id]")))
                .map(RecordedRequest::idempotencyKey).collect(Collectors.toSet());
    }

    private static String metadata(JsonObject object, String name) {
        JsonObject metadata = object.has("metadata") && object.get("metadata").isJsonObject()
                ? object.getAsJsonObject("metadata") : null;
        return metadata == null || !metadata.has(name) ? null : metadata.get(name).getAsString();
    }

    private static List<String> sessionsOf(FaultServers.Org org) {
        return stripe.checkoutSessions().stream()
                .filter(s -> org.orgId().toString().equals(metadata(s, "org_id")))
                .map(s -> s.get("id").getAsString()).toList();
    }

    private static int topups(FaultServers.Org org) {
        return new LedgerAudit(database).entriesPerType(org.orgId()).getOrDefault("topup", 0);
    }

    private static Answer deliver(String payload) {
        return HTTP.at(base).post("/v1/billing/webhooks/stripe", payload, "Stripe-Signature",
                StripeEvents.signatureHeader(payload, WEBHOOK_SECRET));
    }

}
