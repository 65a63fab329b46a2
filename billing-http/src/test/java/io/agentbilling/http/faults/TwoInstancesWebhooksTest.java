package io.agentbilling.http.faults;

import static io.agentbilling.http.faults.FaultServers.deduction;
import static io.agentbilling.http.faults.FaultServers.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestClient;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import io.agentbilling.webhooks.HttpWebhookSender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two server instances on one database deliver outbound webhooks together: the events written by settlements on
 * either instance each reach the receiver, signed, and each is sent exactly once. Both instances' delivery workers
 * claim from the same outbox (each every 2 s, and at once when its own settlements queue events), so a claim that
 * let two workers take one pending delivery would show as a second request for its event id, or as two requests for
 * one event id in flight at once; the receiver holds every request a moment to widen that window.
 */
class TwoInstancesWebhooksTest {
    private static final TestClient HTTP = FaultServers.client();
    private static final int ORGS = 30;
    /** Each org's one debit crosses its low-balance threshold and empties it: balance.low and balance.depleted. */
    private static final int EVENTS_PER_ORG = 2;
    private static final long GRANT_CENTS = 100;

    private static DatabaseConfig database;
    private static BillingApplication first;
    private static BillingApplication second;
    private static List<String> bases;
    private static HttpServer receiver;
    private static ExecutorService receiverThreads;

    /** The signing secret of each org's endpoint, by org id (the endpoint's path). */
    private static final Map<String, String> secrets = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> requestsPerEvent = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> inFlightPerEvent = new ConcurrentHashMap<>();
    private static final Set<String> sentConcurrently = ConcurrentHashMap.newKeySet();
    private static final List<String> problems = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        receiverThreads = Executors.newFixedThreadPool(16);
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hooks/", exchange -> {
            try {
                exchange.sendResponseHeaders(receive(exchange.getRequestURI().getPath().substring("/hooks/".length()),
                        exchange.getRequestHeaders().getFirst(HttpWebhookSender.EVENT_ID_HEADER),
                        exchange.getRequestHeaders().getFirst(HttpWebhookSender.SIGNATURE_HEADER),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)), -1);
            } finally {
                exchange.close();
            }
        });
        receiver.start();
        database = TestDatabases.freshDatabase("two_instances_webhooks");
        Map<String, String> env = Map.of(ServerConfig.WEBHOOK_ALLOW_PRIVATE_TARGETS, "true");
        first = FaultServers.start(database, env);
        second = FaultServers.start(database, env);
        bases = List.of(FaultServers.base(first), FaultServers.base(second));
    }

    @AfterAll
    static void stop() {
        try {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
            }
        } finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
            if (database != null) {
                TestDatabases.dropDatabase(database);
            }
        }
    }

    /** Verifies the signature, counts the request per event id and how many of its requests are in flight. */
    private static int receive(String orgId, String eventId, String signature, String body) {
        String secret = secrets.get(orgId);
        if (secret == null || eventId == null || signature == null) {
            problems.add("unexpected request for " + orgId + " event " + eventId);
            return 400;
        }
        String t = signature.substring(2, signature.indexOf(','));
        if (!signature.equals(HttpWebhookSender.signatureHeader(secret, Long.parseLong(t), body))) {
            problems.add("bad signature on " + body);
            return 400;
        }
        if (!body.contains("\"orgId\":\"" + orgId + "\"") || !body.contains("\"id\":\"" + eventId + "\"")) {
            problems.add("event " + eventId + " of another org or id at " + orgId + ": " + body);
        }
        requestsPerEvent.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
        AtomicInteger inFlight = inFlightPerEvent.computeIfAbsent(eventId, id -> new AtomicInteger());
        if (inFlight.incrementAndGet() > 1) {
            sentConcurrently.add(eventId);
        }
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
        return 200;
    }

    @Test
    void each_event_is_delivered_once_though_both_instances_deliver_from_one_outbox() throws Exception {
        String hooks = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks/";
        List<FaultServers.Org> orgs = new ArrayList<>();
        List<String> endpointIds = new ArrayList<>();
        for (int i = 0; i < ORGS; i++) {
            TestClient http = HTTP.at(bases.get(i % 2));
            FaultServers.Org org = FaultServers.createOrgWithAdmin(http, "free", GRANT_CENTS);
            Answer settings = http.put("/v1/billing/settings", json("countByokTowardBudgets", false,
                    "balanceLowThresholdCents", GRANT_CENTS / 2), "X-API-Key", org.adminKey());
            assertThat(settings.status()).as(settings.toString()).isEqualTo(200);
            Answer endpoint = http.post("/v1/billing/webhook-endpoints", "{\"url\":\"" + hooks + org.orgId()
                    + "\",\"events\":[\"balance.low\",\"balance.depleted\"]}", "X-API-Key", org.adminKey(),
                    "Idempotency-Key", "endpoint-" + org.orgId());
            assertThat(endpoint.status()).as(endpoint.toString()).isEqualTo(201);
            secrets.put(org.orgId().toString(), endpoint.data().path("secret").asText());
            endpointIds.add(endpoint.data().path("id").asText());
            orgs.add(org);
        }

        // Every org's debit at once, half on each instance: both write events and wake their own workers.
        Load debits = Load.start("debits", ORGS, 1, Duration.ofSeconds(120), (thread, i) -> {
            FaultServers.Org org = orgs.get(thread);
            Answer debit = FaultServers.untilNot503(() -> HTTP.at(bases.get(thread % 2)).internalPost(
                    "/v1/internal/billing/deductions", deduction(org, "spend-all-" + org.orgId(), GRANT_CENTS)));
            assertThat(debit.status()).as(debit.toString()).isEqualTo(200);
        });
        debits.await(Duration.ofSeconds(180));

        // Done when every delivery is recorded as succeeded: none is pending or in flight any more.
        await("every delivery recorded as succeeded", () -> {
            for (int i = 0; i < ORGS; i++) {
                List<JsonNode> deliveries = deliveries(orgs.get(i), endpointIds.get(i));
                if (deliveries.size() != EVENTS_PER_ORG || deliveries.stream()
                        .anyMatch(d -> !d.path("status").asText().equals("succeeded"))) {
                    return false;
                }
            }
            return true;
        });

        Set<String> recorded = new HashSet<>();
        for (int i = 0; i < ORGS; i++) {
            for (JsonNode delivery : deliveries(orgs.get(i), endpointIds.get(i))) {
                recorded.add(delivery.path("eventId").asText());
                assertThat(delivery.path("attempts")).as("attempts of " + delivery).hasSize(1);
                assertThat(delivery.path("attempts").get(0).path("responseCode").asInt()).isEqualTo(200);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(recorded).hasSize(ORGS * EVENTS_PER_ORG);
        assertThat(requestsPerEvent.keySet()).as("every event reached the receiver").isEqualTo(recorded);
        requestsPerEvent.forEach((eventId, requests) ->
                assertThat(requests.get()).as("requests for " + eventId).isEqualTo(1));
        assertThat(sentConcurrently).as("events sent twice at once").isEmpty();
    }

    private static List<JsonNode> deliveries(FaultServers.Org org, String endpointId) {
        Answer page = HTTP.at(bases.get(0)).get("/v1/billing/webhook-endpoints/" + endpointId
                + "/deliveries?limit=10", "X-API-Key", org.adminKey());
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        page.data().forEach(items::add);
        return items;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what + " within 120 s").isTrue();
            Thread.sleep(200);
        }
    }
}
