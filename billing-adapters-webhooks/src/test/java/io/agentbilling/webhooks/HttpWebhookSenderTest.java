package io.agentbilling.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.agentbilling.core.port.WebhookSender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpWebhookSenderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
    private HttpServer receiver;
    private final List<String[]> received = new CopyOnWriteArrayList<>();
    private volatile int answer = 204;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new String[] {exchange.getRequestMethod(),
                    exchange.getRequestHeaders().getFirst("Billing-Signature"),
                    exchange.getRequestHeaders().getFirst("Billing-Event-Id"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body});
            if (answer == 302) {
                exchange.getResponseHeaders().add("Location", "http://169.254.169.254/");
            }
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    private URI hook() {
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    }

    @Test
    void the_signature_is_stripes_format_over_the_timestamp_and_the_exact_body() {
        // HMAC-SHA256(key "whsec_test", "1700000000.{\"id\":\"evt_1\"}"), computed with openssl dgst -hmac.
        assertEquals("t=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925",
                HttpWebhookSender.signatureHeader("whsec_test", 1_700_000_000L, "{\"id\":\"evt_1\"}"));
        assertEquals("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
                HttpWebhookSender.hmacSha256Hex("key", "The quick brown fox jumps over the lazy dog"));
    }

    @Test
    void posts_the_signed_body_and_reports_the_status() {
        HttpWebhookSender sender = new HttpWebhookSender(new WebhookTargets(true, WebhookTargets.SYSTEM), CLOCK);
        String body = "{\"id\":\"evt_42\",\"type\":\"balance.low\",\"data\":{\"note\":\"é\"}}";
        WebhookSender.Outcome outcome = sender.send(new WebhookSender.Request(hook(), "whsec_abc", "evt_42",
                "balance.low", body));
        assertEquals(204, outcome.statusCode());
        assertNull(outcome.error());
        String[] request = received.get(0);
        assertEquals("POST", request[0]);
        assertEquals(HttpWebhookSender.signatureHeader("whsec_abc", 1_700_000_000L, body), request[1]);
        assertEquals("evt_42", request[2]);
        assertTrue(request[3].startsWith("application/json"));
        assertEquals(body, request[4]);
    }

    @Test
    void a_redirect_is_not_followed_and_an_error_status_is_reported() {
        HttpWebhookSender sender = new HttpWebhookSender(new WebhookTargets(true, WebhookTargets.SYSTEM), CLOCK);
        answer = 302;
        assertEquals(302, sender.send(new WebhookSender.Request(hook(), "s", "evt_1", "hold.expired", "{}"))
                .statusCode());
        answer = 500;
        assertEquals(500, sender.send(new WebhookSender.Request(hook(), "s", "evt_1", "hold.expired", "{}"))
                .statusCode());
        assertEquals(2, received.size());
    }

    @Test
    void a_loopback_target_is_refused_without_a_request_unless_allowed() {
        HttpWebhookSender sender = new HttpWebhookSender(new WebhookTargets(false, WebhookTargets.SYSTEM), CLOCK);
        assertTrue(sender.refusal(hook()).isPresent());
        WebhookSender.Outcome outcome = sender.send(new WebhookSender.Request(hook(), "s", "evt_1", "hold.expired",
                "{}"));
        assertNull(outcome.statusCode());
        assertTrue(outcome.error().contains("127.0.0.1"), outcome.error());
        assertEquals(0, received.size());
    }

    @Test
    void an_unreachable_endpoint_is_a_failed_attempt_not_an_exception() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        HttpWebhookSender sender = new HttpWebhookSender(new WebhookTargets(true, WebhookTargets.SYSTEM), CLOCK);
        WebhookSender.Outcome outcome = sender.send(new WebhookSender.Request(
                URI.create("http://127.0.0.1:" + closedPort + "/hook"), "s", "evt_1", "hold.expired", "{}"));
        assertNull(outcome.statusCode());
        assertTrue(outcome.error().startsWith("the connection failed"), outcome.error());
    }
}
