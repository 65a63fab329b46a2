package io.agentbilling.http.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} of the wired server: running counts are counters (never gauges named {@code _total}), the JVM's
 * own metrics are there, and with {@code BILLING_METRICS_REQUIRE_SECRET=true} only the internal secret reads them.
 */
class MetricsTest {
    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);

    @Test
    void running_counts_are_counters_and_the_jvm_is_measured() {
        try (TestApplication app = new TestApplication()) {
            TestOrg org = app.newOrg("pro");
            for (int i = 0; i < 3; i++) {
                app.app.billing().settleModelUsage().execute(SettleModelUsage.Command.builder()
                        .orgId(org.orgId()).memberId(org.member().id()).model("gpt-5").inputTokens(100)
                        .outputTokens(10).idempotencyKey("m-" + UUID.randomUUID()).build());
            }
            Answer metrics = app.get("/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            String text = metrics.body();

            List<String> gaugesNamedTotal = new ArrayList<>();
            Matcher type = TYPE.matcher(text);
            while (type.find()) {
                if (!type.group(2).equals("counter") && type.group(1).endsWith("_total")) {
                    gaugesNamedTotal.add(type.group(1) + " " + type.group(2));
                }
            }
            assertThat(gaugesNamedTotal).isEmpty();
            assertThat(text).contains("# TYPE billing_settlements_total counter", "# TYPE billing_settlement_batches_total counter",
                    "# TYPE billing_settlements_dropped_total counter", "# TYPE billing_settlement_queue_depth gauge");
            assertThat(value(text, "billing_settlements_total")).isGreaterThanOrEqualTo(3);
            assertThat(value(text, "billing_settlement_batches_total")).isBetween(1.0, value(text,
                    "billing_settlements_total"));
            assertThat(text).contains("jvm_memory_used_bytes{area=\"heap\"}", "jvm_threads_current",
                    "jvm_classes_currently_loaded", "process_cpu_seconds_total");
        }
    }

    @Test
    void with_the_setting_only_the_internal_secret_reads_the_metrics() {
        try (TestApplication app = new TestApplication(Map.of(ServerConfig.METRICS_REQUIRE_SECRET, "true"))) {
            assertThat(app.get("/metrics").status()).isEqualTo(401);
            assertThat(app.get("/metrics", "X-Internal-Secret", "not-the-secret-0123456789").status()).isEqualTo(401);
            Answer allowed = app.internalGet("/metrics");
            assertThat(allowed.status()).isEqualTo(200);
            assertThat(allowed.body()).contains("billing_http_requests_total");
        }
    }

    private static double value(String text, String name) {
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertThat(line.find()).as(name + " in the scrape").isTrue();
        return Double.parseDouble(line.group(1));
    }
}
