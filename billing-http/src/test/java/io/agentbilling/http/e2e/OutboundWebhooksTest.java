package io.agentbilling.http.e2e;

import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.support.Envelopes.error;
import static io.agentbilling.http.support.Envelopes.items;
import static io.agentbilling.http.e2e.PublicApi.key;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.server.config.ServerConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outbound webhooks end to end: the real server on PostgreSQL sends events caused by real actions (a settlement that
 * crosses the low-balance threshold and empties the balance, a member budget reached, a hold that runs out) to a
 * receiver on loopback (allowed by {@code BILLING_WEBHOOK_ALLOW_PRIVATE_TARGETS}). The receiver verifies every
 * signature as a user's would (its own HMAC, constant-time compare, a recent timestamp), answers 500 to the first
 * two attempts of each event, and deduplicates by event id: each event is accepted exactly once, and the delivery
 * history shows the failed attempts and the final 200.
 */
class OutboundWebhooksTest {
    private static final int FAILURES_PER_EVENT = 2;
    private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");

    private static TestApplication server;
    private static HttpServer receiver;
    private static ExecutorService receiverThreads;
    private static volatile String secret;
    /** Attempts per event id, accepted or not. */
    private static final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** Event ids accepted (answered 200 the first time a valid delivery came after the injected failures). */
    private static final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private static final List<JsonNode> acceptedBodies = new CopyOnWriteArrayList<>();
    private static final List<String> problems = new CopyOnWriteArrayList<>();
    private static final AtomicInteger redeliveriesAfterAcceptance = new AtomicInteger();
    /** Held by the test to stall the receiver; released at once otherwise. */
    private static volatile CountDownLatch stall = new CountDownLatch(0);

    @BeforeAll
    static void start() throws IOException {
        receiverThreads = Executors.newFixedThreadPool(4);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hooks", exchange -> {
            try {
                stall.await(60, TimeUnit.SECONDS);
                byte[] body = exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(receive(exchange.getRequestHeaders().getFirst("Billing-Signature"),
                        exchange.getRequestHeaders().getFirst("Billing-Event-Id"), body), -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exchange.sendResponseHeaders(503, -1);
            } finally {
                exchange.close();
            }
        });
        receiver.start();
        server = new TestApplication(Map.of(ServerConfig.WEBHOOK_ALLOW_PRIVATE_TARGETS, "true",
                ServerConfig.WEBHOOK_RETRY_SECONDS, "1"));
    }

    @AfterAll
    static void stop() {
        stall.countDown();
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }
    }

    /** What a receiver does: verify, fail the first attempts on purpose, then accept each event id once. */
    private static int receive(String signatureHeader, String eventIdHeader, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        Matcher signature = SIGNATURE.matcher(signatureHeader == null ? "" : signatureHeader);
        if (!signature.matches()) {
            problems.add("malformed Billing-Signature: " + signatureHeader);
            return 400;
        }
        long t = Long.parseLong(signature.group(1));
        byte[] expected = hmac(secret, signature.group(1) + "." + text);
        if (!MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature.group(2)))) {
            problems.add("bad signature on " + text);
            return 400;
        }
        if (Math.abs(Instant.now().getEpochSecond() - t) > 300) {
            problems.add("stale timestamp " + t);
            return 400;
        }
        JsonNode event;
        try {
            event = Json.mapper().readTree(text);
        } catch (IOException e) {
            problems.add("not JSON: " + text);
            return 400;
        }
        String id = event.path("id").asText();
        if (!id.equals(eventIdHeader)) {
            problems.add("Billing-Event-Id " + eventIdHeader + " is not the body's id " + id);
        }
        int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
        if (attempt <= FAILURES_PER_EVENT) {
            return 500;
        }
        if (!accepted.add(id)) {
            redeliveriesAfterAcceptance.incrementAndGet(); // deduplicated: acknowledged, not processed again
            return 200;
        }
        acceptedBodies.add(event);
        return 200;
    }

    private static byte[] hmac(String key, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; accepted " + accepted + ", attempts "
                        + attempts + ", problems " + problems);
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode deduct(TestOrg org, long cents) {
        return data(server.internalPost("/v1/internal/billing/deductions", "{\"orgId\":\"" + org.orgId()
                + "\",\"memberId\":\"" + org.member().id() + "\",\"amountCents\":" + cents
                + ",\"resource\":\"agent_run\",\"idempotencyKey\":\"" + UUID.randomUUID() + "\"}"));
    }

    @Test
    void events_of_real_actions_reach_the_receiver_signed_and_once_per_id_despite_injected_failures()
            throws Exception {
        TestOrg org = server.newOrg("free");
        String admin = org.adminKey();
        String hooks = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";

        JsonNode created = data(server.post("/v1/billing/webhook-endpoints", "{\"url\":\"" + hooks + "\","
                + "\"events\":[\"balance.low\",\"balance.depleted\",\"budget.threshold\",\"hold.expired\"]}",
                key(admin)), 201);
        secret = created.path("secret").asText();
        String endpointId = created.path("id").asText();
        assertThat(secret).startsWith("whsec_");
        // The secret is shown once: reads never carry it.
        JsonNode listed = data(server.get("/v1/billing/webhook-endpoints", key(admin)));
        assertThat(items(listed)).singleElement().satisfies(e -> {
            assertThat(e.path("id").asText()).isEqualTo(endpointId);
            assertThat(e.has("secret")).isFalse();
        });
        assertThat(listed.toString()).doesNotContain(secret);
        // A second endpoint that wants none of these events gets nothing.
        String quietId = data(server.post("/v1/billing/webhook-endpoints", "{\"url\":\"" + hooks + "-quiet\","
                + "\"events\":[\"topup.succeeded\"]}", key(admin)), 201).path("id").asText();

        // A hold that will run out, placed while there is credit.
        data(server.internalPost("/v1/internal/orgs/" + org.orgId() + "/grants",
                "{\"amountCents\":1000,\"idempotencyKey\":\"grant-" + UUID.randomUUID() + "\"}"), 201);
        String holdId = data(server.internalPost("/v1/internal/billing/holds", "{\"orgId\":\"" + org.orgId()
                + "\",\"amountCents\":5,\"ttlSeconds\":1,\"idempotencyKey\":\"hold-" + UUID.randomUUID() + "\"}"),
                201).path("holdId").asText();
        long balance = data(server.get("/v1/billing/credits", key(admin))).path("balanceCents").asLong();
        assertThat(balance).isPositive();
        data(server.put("/v1/billing/settings", "{\"balanceLowThresholdCents\":" + balance + "}", key(admin)));
        data(server.put("/v1/billing/budgets/members/" + org.member().id(), "{\"dailyLimitCents\":100}",
                key(admin)));

        // The receiver stalls: settlements are not held up by it (they only write the outbox).
        stall = new CountDownLatch(1);
        JsonNode crossing = deduct(org, balance + 1); // below the threshold, below zero, past 80% and 100% of the budget
        for (int i = 0; i < 10; i++) {
            deduct(org, 1);
        }
        assertThat(crossing.path("balanceAfterCents").asLong()).isNegative();
        stall.countDown();

        // balance.low and balance.depleted once each (later debits cross nothing), budget.threshold at 80% and 100%,
        // and hold.expired when the expiry job finds the hold.
        await("five events accepted", () -> accepted.size() >= 5);
        await("every delivery succeeded", () -> items(data(server.get("/v1/billing/webhook-endpoints/" + endpointId
                + "/deliveries", key(admin)))).stream().allMatch(d -> d.path("status").asText().equals("succeeded")));

        assertThat(problems).isEmpty();
        assertThat(redeliveriesAfterAcceptance.get()).isZero();
        assertThat(acceptedBodies).extracting(e -> e.path("type").asText()).containsExactlyInAnyOrder(
                "balance.low", "balance.depleted", "budget.threshold", "budget.threshold", "hold.expired");
        assertThat(acceptedBodies).allSatisfy(e -> {
            assertThat(e.path("orgId").asText()).isEqualTo(org.orgId().toString());
            assertThat(e.path("id").asText()).startsWith("evt_");
        });
        JsonNode expired = acceptedBodies.stream().filter(e -> e.path("type").asText().equals("hold.expired"))
                .findFirst().orElseThrow();
        assertThat(expired.path("data").path("holdId").asText()).isEqualTo(holdId);
        assertThat(acceptedBodies.stream().filter(e -> e.path("type").asText().equals("budget.threshold"))
                .map(e -> e.path("data").path("percent").asInt())).containsExactlyInAnyOrder(80, 100);
        JsonNode low = acceptedBodies.stream().filter(e -> e.path("type").asText().equals("balance.low"))
                .findFirst().orElseThrow();
        assertThat(low.path("data").path("thresholdCents").asLong()).isEqualTo(balance);
        assertThat(low.path("data").path("entryId").asText()).isEqualTo(crossing.path("id").asText());
        // Each id went through its injected failures and was then accepted once.
        assertThat(attempts).hasSize(5);
        assertThat(attempts.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(FAILURES_PER_EVENT + 1));

        // The delivery history tells the same story: two 500s, then 200, with the event's stable id.
        List<JsonNode> deliveries = items(data(server.get("/v1/billing/webhook-endpoints/" + endpointId
                + "/deliveries", key(admin))));
        assertThat(deliveries).hasSize(5);
        List<String> eventIds = new ArrayList<>();
        for (JsonNode d : deliveries) {
            eventIds.add(d.path("eventId").asText());
            assertThat(d.path("attemptCount").asInt()).isEqualTo(3);
            assertThat(d.path("lastResponseCode").asInt()).isEqualTo(200);
            assertThat(d.path("deliveredAt").isNull()).isFalse();
            assertThat(d.path("nextAttemptAt").isNull()).isTrue();
            assertThat(items(d.path("attempts"))).extracting(a -> a.path("responseCode").asInt())
                    .containsExactly(500, 500, 200);
        }
        assertThat(eventIds).containsExactlyInAnyOrderElementsOf(accepted);
        assertThat(items(data(server.get("/v1/billing/webhook-endpoints/" + quietId + "/deliveries", key(admin)))))
                .isEmpty();

        // An admin's retry sends an event again with the same id: the receiver's dedup absorbs it.
        String someDelivery = deliveries.get(0).path("id").asText();
        JsonNode retried = data(server.post("/v1/billing/webhook-endpoints/" + endpointId + "/deliveries/"
                + someDelivery + "/retry", "{}", key(admin)));
        assertThat(retried.path("status").asText()).isEqualTo("pending");
        await("the retried delivery", () -> redeliveriesAfterAcceptance.get() == 1);
        assertThat(accepted).hasSize(5);
        assertThat(problems).isEmpty();

        // Deleted: nothing more is sent, and its deliveries cannot be retried.
        data(server.delete("/v1/billing/webhook-endpoints/" + endpointId, key(admin)));
        error(server.post("/v1/billing/webhook-endpoints/" + endpointId + "/deliveries/" + someDelivery + "/retry",
                "{}", key(admin)), 409, "conflict");
    }

    @Test
    void private_targets_are_refused_unless_the_operator_allows_them() {
        try (TestApplication strict = new TestApplication()) {
            TestOrg org = strict.newOrg("free");
            for (String url : List.of("http://127.0.0.1:9/x", "http://localhost/x", "http://169.254.169.254/latest",
                    "http://[::1]/x", "http://10.1.2.3/x")) {
                JsonNode refused = error(strict.post("/v1/billing/webhook-endpoints", "{\"url\":\"" + url
                        + "\",\"events\":[\"balance.low\"]}", key(org.adminKey())), 400, "bad_request");
                assertThat(refused.toString()).as(url).contains("url");
            }
            assertThat(items(data(strict.get("/v1/billing/webhook-endpoints", key(org.adminKey()))))).isEmpty();
        }
    }

    @Test
    void a_registration_retried_with_its_idempotency_key_returns_the_same_endpoint_and_secret() {
        TestOrg org = server.newOrg("free");
        TestOrg other = server.newOrg("free");
        String hookKey = "create-hook-" + UUID.randomUUID();
        String url = "https://hooks.example.invalid/billing";
        String body = "{\"url\":\"" + url + "\",\"events\":[\"balance.low\",\"hold.expired\"]}";

        Answer first = server.post("/v1/billing/webhook-endpoints", body, "X-API-Key", org.adminKey(),
                "Idempotency-Key", hookKey);
        JsonNode created = data(first, 201);
        assertThat(first.header("Idempotent-Replayed")).isNull();
        // The same registration, its event types in another order: the endpoint and its secret again.
        Answer retry = server.post("/v1/billing/webhook-endpoints", "{\"url\":\"" + url
                + "\",\"events\":[\"hold.expired\",\"balance.low\"]}", "X-API-Key", org.adminKey(),
                "Idempotency-Key", hookKey);
        assertThat(data(retry, 200)).isEqualTo(created);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(items(data(server.get("/v1/billing/webhook-endpoints", key(org.adminKey())))))
                .extracting(e -> e.path("id").asText()).containsExactly(created.path("id").asText());

        // Another payload under the key: 409, and nothing registered.
        error(server.post("/v1/billing/webhook-endpoints", "{\"url\":\"" + url + "-2\",\"events\":[\"balance.low\"]}",
                "X-API-Key", org.adminKey(), "Idempotency-Key", hookKey), 409, "idempotency_conflict");
        assertThat(items(data(server.get("/v1/billing/webhook-endpoints", key(org.adminKey()))))).hasSize(1);

        // Keys are per org: another org's admin registers its own endpoint under the same key.
        JsonNode elsewhere = data(server.post("/v1/billing/webhook-endpoints", body, "X-API-Key", other.adminKey(),
                "Idempotency-Key", hookKey), 201);
        assertThat(elsewhere.path("id").asText()).isNotEqualTo(created.path("id").asText());
        assertThat(elsewhere.path("secret").asText()).isNotEqualTo(created.path("secret").asText());

        // Without a key, each request registers an endpoint (the contract of callers that send none).
        data(server.post("/v1/billing/webhook-endpoints", body, key(org.adminKey())), 201);
        data(server.post("/v1/billing/webhook-endpoints", body, key(org.adminKey())), 201);
        assertThat(items(data(server.get("/v1/billing/webhook-endpoints", key(org.adminKey()))))).hasSize(3);

        // Deleted, the endpoint is still what the key registered.
        data(server.delete("/v1/billing/webhook-endpoints/" + created.path("id").asText(), key(org.adminKey())));
        Answer afterDeletion = server.post("/v1/billing/webhook-endpoints", body, "X-API-Key", org.adminKey(),
                "Idempotency-Key", hookKey);
        assertThat(data(afterDeletion, 200)).isEqualTo(created);
        assertThat(items(data(server.get("/v1/billing/webhook-endpoints", key(org.adminKey()))))).hasSize(2);
    }
}
