package io.agentbilling.http.faults;

import static io.agentbilling.http.faults.FaultServers.deduction;
import static io.agentbilling.http.faults.FaultServers.json;
import static io.agentbilling.http.faults.FaultServers.modelUsage;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestClient;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import io.agentbilling.stripe.fake.FakeStripeServer;
import io.agentbilling.stripe.fake.StripeEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two server instances on one database (the way operators scale out), both on the same (fake) Stripe account:
 * settlements with the same idempotency keys sent to both at once settle once whichever instance got there first,
 * concurrent debits lose no update, one checkout verified on both at once (and its webhook delivered to both) credits
 * once, and a burst of debits split between the instances starts one auto top-up per threshold crossing — charged
 * once at Stripe, credited once. A sign-in session opened on one instance works on the other, and a sign-out or a
 * revoked key on one ends it on both.
 */
class TwoInstancesTest {
    private static final String WEBHOOK_SECRET = "whsec_two_instances_0123456789";
    private static final TestClient HTTP = FaultServers.client();
    private static final String MODEL = "/v1/internal/billing/model-usage";
    private static final String DEDUCTIONS = "/v1/internal/billing/deductions";

    private static DatabaseConfig database;
    private static FakeStripeServer stripe;
    private static BillingApplication first;
    private static BillingApplication second;
    private static List<String> bases;

    @BeforeAll
    static void start() {
        database = TestDatabases.freshDatabase("two_instances");
        stripe = FakeStripeServer.start();
        Map<String, String> env = Map.of(
                ServerConfig.STRIPE_SECRET_KEY, "sk_test_two_instances_0123",
                ServerConfig.STRIPE_WEBHOOK_SECRET, WEBHOOK_SECRET,
                ServerConfig.STRIPE_API_BASE, stripe.baseUrl());
        first = FaultServers.start(database, env);
        second = FaultServers.start(database, env);
        bases = List.of(FaultServers.base(first), FaultServers.base(second));
    }

    @AfterAll
    static void stop() {
        try {
            first.close();
            second.close();
        } finally {
            stripe.close();
            TestDatabases.dropDatabase(database);
        }
    }

    @Test
    void the_same_keys_sent_to_both_instances_settle_once_and_no_update_is_lost() throws Exception {
        settleOnBoth(6, 40);
    }

    @Test
    void a_session_opened_on_one_instance_works_on_the_other_and_ends_on_both() {
        FaultServers.Org org = FaultServers.createOrgWithAdmin(HTTP.at(bases.get(0)), "pro", 0);
        String[] session = signIn(bases.get(0), org.adminKey());
        for (String base : bases) {
            Answer plan = HTTP.at(base).get("/v1/billing/plan", "Cookie", session[0]);
            assertThat(plan.status()).as(plan.toString()).isEqualTo(200);
        }
        Answer change = HTTP.at(bases.get(1)).put("/v1/billing/auto-topup", json("thresholdCents", 1_500),
                "Cookie", session[0], "X-CSRF-Token", session[1]);
        assertThat(change.status()).as("the CSRF token of a session opened elsewhere").isEqualTo(200);

        Answer signOut = HTTP.at(bases.get(1)).delete("/v1/billing/session", "Cookie", session[0],
                "X-CSRF-Token", session[1]);
        assertThat(signOut.status()).isEqualTo(204);
        for (String base : bases) {
            assertThat(HTTP.at(base).get("/v1/billing/plan", "Cookie", session[0]).status()).isEqualTo(401);
        }

        String[] again = signIn(bases.get(1), org.adminKey());
        assertThat(HTTP.at(bases.get(0)).get("/v1/billing/plan", "Cookie", again[0]).status()).isEqualTo(200);
        io.agentbilling.core.access.Caller caller = first.billing().authenticateApiKey().execute(org.adminKey())
                .orElseThrow();
        second.billing().revokeApiKey().execute(new io.agentbilling.core.usecase.RevokeApiKey.Command(
                caller.orgId(), caller.keyId()));
        for (String base : bases) {
            assertThat(HTTP.at(base).get("/v1/billing/plan", "Cookie", again[0]).status())
                    .as("a session of a revoked key on " + base).isEqualTo(401);
        }
    }

    @Test
    void an_api_key_revoked_on_one_instance_is_refused_there_at_once_and_on_the_other_within_the_cache_bound()
            throws Exception {
        FaultServers.Org org = FaultServers.createOrgWithAdmin(HTTP.at(bases.get(0)), "pro", 0);
        for (int round = 0; round < 3; round++) { // each instance has the key verified and cached
            for (String base : bases) {
                Answer credits = HTTP.at(base).get("/v1/billing/credits", "X-API-Key", org.adminKey());
                assertThat(credits.status()).as(credits.toString()).isEqualTo(200);
            }
        }
        io.agentbilling.core.access.Caller caller = first.billing().authenticateApiKey().execute(org.adminKey())
                .orElseThrow();
        Answer revoke = HTTP.at(bases.get(0)).internalDelete(
                "/v1/internal/orgs/" + caller.orgId().value() + "/api-keys/" + caller.keyId().value());
        assertThat(revoke.status()).as(revoke.toString()).isEqualTo(200);

        // The instance that revoked it forgets it at once; the other reads it again once its verification is older
        // than the bound (AuthenticateApiKey.CACHE_FOR), which every check made after this sleep is.
        assertThat(HTTP.at(bases.get(0)).get("/v1/billing/credits", "X-API-Key", org.adminKey()).status())
                .isEqualTo(401);
        Thread.sleep(io.agentbilling.core.usecase.AuthenticateApiKey.CACHE_FOR.toMillis() + 100);
        for (String base : bases) {
            Answer refused = HTTP.at(base).get("/v1/billing/credits", "X-API-Key", org.adminKey());
            assertThat(refused.status()).as("the revoked key on " + base).isEqualTo(401);
            assertThat(refused.errorCode()).isEqualTo("invalid_token");
        }
    }

    /** The session cookie (as a Cookie header) and its CSRF token. */
    private static String[] signIn(String base, String key) {
        Answer answer = HTTP.at(base).post("/v1/billing/session", "{\"apiKey\": \"" + key + "\"}");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(201);
        String cookie = answer.header("Set-Cookie");
        return new String[] {cookie.substring(0, cookie.indexOf(';')), answer.data().path("csrfToken").asText()};
    }

    @Test
    @Tag("long")
    void the_same_keys_sent_to_both_instances_settle_once_under_heavier_load() throws Exception {
        settleOnBoth(16, 1_000);
    }

    private static void settleOnBoth(int threads, int keysPerThread) throws Exception {
        FaultServers.Org org = FaultServers.createOrg(HTTP.at(bases.get(0)), "pro", 0);
        Map<String, Long> charged = new ConcurrentHashMap<>();
        Set<String> replayedSomewhere = ConcurrentHashMap.newKeySet();
        Load load = Load.start("two", threads, keysPerThread, Duration.ofSeconds(120), (thread, i) -> {
            String key = "m-" + thread + "-" + i;
            String body = modelUsage(org, key, (thread * 31 + i) % 97);
            // Each key goes to both instances, in an order that alternates, one right after the other.
            for (int n = 0; n < 2; n++) {
                String base = bases.get((thread + i + n) % 2);
                Answer answer = FaultServers.untilNot503(() -> HTTP.at(base).internalPost(MODEL, body));
                assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
                long micros = answer.data().path("chargedMicros").asLong();
                Long earlier = charged.putIfAbsent(key, micros);
                assertThat(earlier == null || earlier == micros).as("the same charge for " + key).isTrue();
                if (answer.replayed()) {
                    replayedSomewhere.add(key);
                }
            }
        });
        load.await(Duration.ofSeconds(180));

        LedgerAudit audit = new LedgerAudit(database);
        Map<String, Integer> perKey = audit.entriesPerKey(org.orgId());
        assertThat(perKey).hasSize(threads * keysPerThread);
        perKey.forEach((key, count) -> assertThat(count).as("entries of " + key).isEqualTo(1));
        assertThat(replayedSomewhere).as("every key was answered once as new and once as a replay")
                .hasSize(threads * keysPerThread);
        long total = charged.values().stream().mapToLong(Long::longValue).sum();
        assertThat(audit.balanceMicros(org.orgId())).as("no lost update").isEqualTo(-total);
        assertThat(audit.problems()).isEmpty();
    }

    @Test
    void one_checkout_verified_on_both_instances_at_once_credits_once_and_each_crossing_tops_up_once()
            throws Exception {
        FaultServers.Org org = FaultServers.createOrgWithAdmin(HTTP.at(bases.get(0)), "pro", 0);
        String admin = org.adminKey();
        Answer topup = HTTP.at(bases.get(0)).post("/v1/billing/topup", json("amountCents", 5_000),
                "X-API-Key", admin);
        String sessionId = topup.data().path("sessionId").asText();
        stripe.payCheckout(sessionId);
        String completed = stripe.eventFor("checkout.session.completed", sessionId);

        // The success page on both instances, several times each, and the webhook delivered to both, all at once.
        Set<String> entryIds = ConcurrentHashMap.newKeySet();
        Load verify = Load.start("verify", 8, 1, Duration.ofSeconds(60), (thread, i) -> {
            String base = bases.get(thread % 2);
            if (thread >= 6) {
                Answer webhook = HTTP.at(base).post("/v1/billing/webhooks/stripe", completed,
                        "Stripe-Signature", StripeEvents.signatureHeader(completed, WEBHOOK_SECRET));
                assertThat(webhook.status()).as(webhook.toString()).isEqualTo(200);
                return;
            }
            Answer success = HTTP.at(base).get("/v1/billing/success?session_id=" + sessionId,
                    "X-API-Key", admin);
            assertThat(success.data().path("credited").asBoolean()).as(success.toString()).isTrue();
            entryIds.add(success.data().path("entryId").asText());
        });
        verify.await(Duration.ofSeconds(60));
        LedgerAudit audit = new LedgerAudit(database);
        assertThat(entryIds).as("every success page names the same credit").hasSize(1);
        assertThat(audit.entriesPerType(org.orgId())).containsEntry("topup", 1);
        assertThat(audit.balanceMicros(org.orgId())).isEqualTo(5_000L * 1_000_000);

        // Auto top-up: below 4 900 cents, add 1 000. A burst of 40 × 5 cents crosses once (and the top-up cannot
        // be crossed again by the rest of the burst); a second burst of 40 × 25 cents crosses once more.
        Answer settings = HTTP.at(bases.get(1)).put("/v1/billing/auto-topup",
                json("enabled", true, "thresholdCents", 4_900, "topupAmountCents", 1_000), "X-API-Key", admin);
        assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
        burst(org, "b1", 5);
        awaitAutoTopups(audit, org, 1);
        burst(org, "b2", 25);
        awaitAutoTopups(audit, org, 2);
        Thread.sleep(1_500); // a second attempt for either crossing would have been charged by now
        assertThat(audit.entriesPerType(org.orgId())).containsEntry("auto_topup", 2);
        assertThat(stripe.requests("POST", "/v1/payment_intents").stream().map(r -> r.idempotencyKey()).distinct())
                .as("one off-session charge per crossing").hasSize(2);
        assertThat(stripe.succeededChargeCount()).as("the checkout and two auto top-ups").isEqualTo(3);
        long expected = (5_000L - 40 * 5 + 1_000 - 40 * 25 + 1_000) * 1_000_000;
        assertThat(audit.balanceMicros(org.orgId())).isEqualTo(expected);
        assertThat(audit.problems()).isEmpty();
        assertThat(first.billing().verifyLedger().execute().drifts()).isEmpty();
    }

    /** 40 debits of {@code cents}, sent by 8 clients alternating between the instances. */
    private static void burst(FaultServers.Org org, String name, long cents) throws InterruptedException {
        Load load = Load.start(name, 8, 5, Duration.ofSeconds(60), (thread, i) -> {
            String base = bases.get((thread + i) % 2);
            String body = deduction(org, name + "-" + thread + "-" + i, cents);
            Answer answer = FaultServers.untilNot503(() -> HTTP.at(base).internalPost(DEDUCTIONS, body));
            assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        });
        load.await(Duration.ofSeconds(60));
    }

    private static void awaitAutoTopups(LedgerAudit audit, FaultServers.Org org, int count)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (audit.entriesPerType(org.orgId()).getOrDefault("auto_topup", 0) < count
                && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertThat(audit.entriesPerType(org.orgId())).containsEntry("auto_topup", count);
    }
}
