package io.agentbilling.http.server.infrastructure;

import static io.agentbilling.http.support.TestServer.MEMBER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestServer;
import io.agentbilling.http.support.Answer;
import io.prometheus.metrics.core.metrics.Counter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OperationsTest {
    private final TestServer server = new TestServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void health_is_ok_without_credentials() {
        Answer health = server.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("data").path("status").asText()).isEqualTo("ok");
        assertThat(health.json().path("meta").path("requestId").asText()).isNotBlank();
    }

    @Test
    void ready_follows_the_readiness_check() {
        assertThat(server.get("/ready").status()).isEqualTo(200);
        server.notReady.set(new SQLException("connection refused"));
        Answer notReady = server.get("/ready");
        assertThat(notReady.status()).isEqualTo(503);
        assertThat(notReady.errorCode()).isEqualTo("unavailable");
        assertThat(notReady.body()).doesNotContain("connection refused");
        assertThat(server.send("HEAD", "/ready", null, null).status())
                .isEqualTo(503);
        server.notReady.set(null);
        assertThat(server.get("/ready").status()).isEqualTo(200);
        Answer head = server.send("HEAD", "/ready", null, null);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void a_readiness_check_that_hangs_is_not_ready_after_the_timeout_and_is_not_started_twice() {
        AtomicInteger runs = new AtomicInteger();
        try (ReadinessProbe probe = new ReadinessProbe(() -> {
            runs.incrementAndGet();
            Thread.sleep(3_000);
        }, Duration.ofMillis(200))) {
            long started = System.nanoTime();
            assertThat(probe.isReady()).isFalse();
            assertThat(probe.isReady()).isFalse();
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000);
            assertThat(runs.get()).isEqualTo(1);
        }
    }

    @Test
    void metrics_count_requests_by_method_route_pattern_and_status() {
        server.get("/v1/demo/member", "X-API-Key", MEMBER_KEY);
        server.get("/v1/demo/member", "X-API-Key", MEMBER_KEY);
        server.get("/v1/demo/member");
        server.get("/v1/no/such/route/" + System.nanoTime());
        Answer metrics = server.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.header("Content-Type")).startsWith("text/plain");
        assertThat(metrics.body())
                .contains("billing_http_requests_total{method=\"GET\",route=\"/v1/demo/member\",status=\"200\"} 2")
                .contains("billing_http_requests_total{method=\"GET\",route=\"/v1/demo/member\",status=\"401\"} 1")
                .contains("billing_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1")
                .contains("billing_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/demo/member\"")
                .doesNotContain("/v1/no/such/route");
    }

    @Test
    void the_composition_root_can_add_its_own_metrics() {
        Counter settlements = server.metrics.counter("billing_settlements_total", "Usage settlements", "kind");
        settlements.labelValues("model").inc();
        AtomicInteger active = new AtomicInteger(3);
        server.metrics.gauge("billing_db_pool_active_connections", "Connections in use", active::get);
        String text = server.get("/metrics").body();
        assertThat(text).contains("billing_settlements_total{kind=\"model\"} 1")
                .contains("billing_db_pool_active_connections 3");
    }
}
