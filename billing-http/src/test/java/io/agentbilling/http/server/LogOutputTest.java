package io.agentbilling.http.server;

import io.agentbilling.http.support.TestClient;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.server.config.InternalSecretFile;
import io.agentbilling.http.server.config.ServerConfig;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentbilling.http.faults.ServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator's log collector gets from the server process, with the production logging setup (logback.xml, not
 * the tests'): with {@code BILLING_LOG_FORMAT=json} one JSON object per line and nothing else on standard output, the
 * request id on every line logged while a request is served (not only the access line), none of the embedded
 * PostgreSQL's initdb chatter at INFO, and never the generated internal secret, which is only in its file.
 */
class LogOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final TestClient http = TestClient.builder().build();

    @Test
    void json_logs_are_one_object_per_line_with_request_ids_and_neither_initdb_chatter_nor_the_secret(@TempDir Path dir)
            throws Exception {
        Path output = dir.resolve("server.log");
        Map<String, String> env = environment(dir);
        env.put(ServerConfig.LOG_FORMAT, "json");
        String payRequestId;
        try (ServerProcess server = ServerProcess.start(productionLogging(), env, output)) {
            payRequestId = topUpThroughTheLocalCheckout(server.base(), Files.readString(
                    dir.resolve("data").resolve(InternalSecretFile.FILE_NAME)).strip());
        }
        String secret = Files.readString(dir.resolve("data").resolve(InternalSecretFile.FILE_NAME)).strip();

        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(output, UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode event = JSON.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.path("level").asText()).as(line).isNotEmpty();
            events.add(event);
        }
        String all = Files.readString(output);
        assertThat(all).doesNotContain(secret);
        assertThat(events).anyMatch(e -> e.path("formattedMessage").asText().contains("Billing server listening on")
                && e.path("formattedMessage").asText().contains("internal secret (X-Internal-Secret): generated, in"));
        assertThat(events).noneMatch(e -> e.path("loggerName").asText().startsWith("io.zonky")
                && e.path("level").asText().equals("INFO"));
        assertThat(all).doesNotContain("The files belonging to this database system").doesNotContain("initdb");

        List<JsonNode> duringPay = events.stream()
                .filter(e -> payRequestId.equals(e.path("mdc").path("requestId").asText(null))).toList();
        assertThat(duringPay).extracting(e -> e.path("loggerName").asText())
                .contains("io.agentbilling.http.access", "io.agentbilling.http.server.checkout.LocalCheckoutRoutes");
        assertThat(events).filteredOn(e -> e.path("formattedMessage").asText().startsWith("local checkout cs_local_"))
                .isNotEmpty()
                .allMatch(e -> payRequestId.equals(e.path("mdc").path("requestId").asText(null)));
        assertThat(events).filteredOn(e -> e.path("loggerName").asText().equals("io.agentbilling.http.access"))
                .allMatch(e -> e.path("mdc").path("requestId").asText("").startsWith("req_"));
        assertThat(events).filteredOn(e -> e.path("threadName").asText().equals("main"))
                .allMatch(e -> e.path("mdc").isEmpty() || e.path("mdc").path("requestId").isMissingNode());
    }

    @Test
    void the_embedded_databases_own_output_goes_to_its_log_file_and_text_lines_name_the_request(
            @TempDir Path dir) throws Exception {
        Path output = dir.resolve("server.log");
        Map<String, String> env = environment(dir);
        env.put(ServerConfig.LOG_LEVEL, "DEBUG");
        env.put(ServerConfig.INTERNAL_SECRET, "log-test-secret-0123456789abcdef");
        try (ServerProcess server = ServerProcess.start(productionLogging(), env, output)) {
            Answer health = http.at(server.base()).get("/health", "X-Request-Id", "req_logtest0123456789");
            assertThat(health.status()).as(health.toString()).isEqualTo(200);
        }
        String all = Files.readString(output);
        // initdb, pg_ctl and PostgreSQL write to the database's own log beside its data directory, not to the server's.
        assertThat(Files.readString(dir.resolve("data").resolve("postgres.log")))
                .contains("The files belonging to this database system");
        assertThat(all).doesNotContain("The files belonging to this database system");
        assertThat(all).containsPattern("INFO  \\[[^]]+] io\\.agentbilling\\.http\\.access \\[req_logtest0123456789] - requestId=");
        assertThat(all).doesNotContain("log-test-secret-0123456789abcdef");
    }

    private static List<String> productionLogging() {
        Path config = Path.of("target", "classes", "logback.xml").toAbsolutePath();
        assertThat(config).exists();
        return List.of("-Dlogback.configurationFile=" + config);
    }

    private static Map<String, String> environment(Path dir) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put(ServerConfig.PORT, "0");
        env.put(ServerConfig.HOST, "127.0.0.1");
        env.put(ServerConfig.DATA_DIR, dir.resolve("data").toString());
        return env;
    }

    /** Creates an org, an admin key and a top-up, pays it on the local checkout; the pay request's id. */
    private String topUpThroughTheLocalCheckout(String base, String secret) {
        String orgId = post(base, "/v1/internal/orgs", "{\"name\": \"Logs\"}", "X-Internal-Secret", secret)
                .path("id").asText();
        String adminId = post(base, "/v1/internal/orgs/" + orgId + "/members", "{\"role\": \"admin\"}",
                "X-Internal-Secret", secret).path("id").asText();
        String key = post(base, "/v1/internal/orgs/" + orgId + "/api-keys", "{\"memberId\": \"" + adminId
                + "\", \"name\": \"logs\"}", "X-Internal-Secret", secret).path("key").asText();
        String sessionId = post(base, "/v1/billing/topup", "{\"amountCents\": 700}", "X-API-Key", key)
                .path("sessionId").asText();
        Answer paid = http.at(base).send("POST", "/checkout/" + sessionId + "/pay",
                "application/x-www-form-urlencoded", null);
        assertThat(paid.status()).as(paid.toString()).isEqualTo(303);
        return paid.header("X-Request-Id");
    }

    private JsonNode post(String base, String path, String json, String header, String value) {
        Answer response = http.at(base).post(path, json, header, value);
        assertThat(response.status()).as(response.toString()).isBetween(200, 201);
        return response.data();
    }
}
