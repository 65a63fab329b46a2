package com.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.agentbilling.core.Billing;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.CreateWebhookEndpoint;
import io.agentbilling.core.usecase.SettleDeduction;
import io.agentbilling.core.webhooks.DeliveryHistory;
import io.agentbilling.core.webhooks.DeliveryStatus;
import io.agentbilling.jdbc.PostgresBilling;
import io.agentbilling.testkit.postgres.FreshDatabaseExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An embedded engine delivers a signed webhook to a receiver on loopback, as a user's service would run it. */
class WebhookDeliveriesTest {
    private static final Pattern SIGNATURE = Pattern.compile("t=(\\d+),v1=([0-9a-f]{64})");

    @RegisterExtension
    static final FreshDatabaseExtension DATABASE = new FreshDatabaseExtension();

    @Test
    void the_http_sender_delivers_a_signed_event_to_a_loopback_receiver() throws Exception {
        Map<String, AtomicInteger> deliveriesByEventId = new ConcurrentHashMap<>();
        Map<String, String> bodies = new ConcurrentHashMap<>();
        CountDownLatch received = new CountDownLatch(1);
        String[] secret = new String[1];
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String eventId = exchange.getRequestHeaders().getFirst("Billing-Event-Id");
            boolean valid = verifies(secret[0], exchange.getRequestHeaders().getFirst("Billing-Signature"), body);
            if (valid && eventId != null) {
                deliveriesByEventId.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
                bodies.put(eventId, body);
                received.countDown();
            }
            exchange.sendResponseHeaders(valid ? 200 : 400, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
        try {
            try (PostgresBilling engine = WebhookDeliveries.start(DATABASE.dataSource(), false)) {
                Caller admin = admin(engine.billing());
                // By default a loopback target is refused at registration.
                BillingException refused = assertThrows(BillingException.class, () -> engine.billing().webhooks()
                        .createEndpoint().execute(new CreateWebhookEndpoint.Command(admin, null, url,
                                List.of("balance.depleted"), "hook-1")));
                assertTrue(refused.details().stream().anyMatch(issue -> issue.field().equals("url")),
                        refused.details().toString());
            }
            try (PostgresBilling engine = WebhookDeliveries.start(DATABASE.dataSource(), true)) {
                Billing billing = engine.billing();
                Caller admin = admin(billing);
                CreateWebhookEndpoint.Created endpoint = billing.webhooks().createEndpoint().execute(
                        new CreateWebhookEndpoint.Command(admin, null, url, List.of("balance.depleted"), "hook-1"));
                secret[0] = endpoint.secret();
                // The free plan's $5.00 grant, spent whole: balance.depleted.
                billing.settleDeduction().execute(SettleDeduction.Command.builder().orgId(admin.orgId())
                        .amountCents(500).resource("agent_run").idempotencyKey("spend-all").build());
                assertTrue(received.await(60, TimeUnit.SECONDS), "no delivery within 60 s");
                // The engine records the receiver's 200: the delivery succeeded after one attempt.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                DeliveryHistory history;
                do {
                    Thread.sleep(50);
                    history = billing.webhooks().endpoints().deliveries(admin, endpoint.endpoint().id(), null, null)
                            .deliveries().get(0);
                } while (history.delivery().status() != DeliveryStatus.SUCCEEDED && System.nanoTime() < deadline);
                assertEquals(DeliveryStatus.SUCCEEDED, history.delivery().status());
                assertEquals(1, history.attempts().size());
                assertEquals(200, history.attempts().get(0).responseCode());
            }
        } finally {
            receiver.stop(0);
        }
        assertEquals(1, deliveriesByEventId.size(), deliveriesByEventId.toString());
        String body = bodies.values().iterator().next();
        assertTrue(body.contains("\"type\":\"balance.depleted\""), body);
        assertEquals(1, deliveriesByEventId.values().iterator().next().get());
    }

    /** Acme's admin, created once (the writes replay on the second start). */
    private static Caller admin(Billing billing) {
        OrgId acme = billing.createOrg().execute(CreateOrg.Command.builder()
                .name("Acme").plan("free").idempotencyKey("create-acme-hooks").build()).org().id();
        Member admin = billing.addMember().execute(
                new AddMember.Command(acme, "admin@acme.test", Role.ADMIN, "member-admin@acme.test")).member();
        return Caller.of(admin);
    }

    /** What a receiver checks: the HMAC-SHA256 of "t.body" under the endpoint's secret, compared in constant time. */
    private static boolean verifies(String secret, String header, String body) {
        Matcher signature = SIGNATURE.matcher(header == null ? "" : header);
        if (secret == null || !signature.matches()) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((signature.group(1) + "." + body).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature.group(2)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
