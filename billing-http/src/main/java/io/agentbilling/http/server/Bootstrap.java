package io.agentbilling.http.server;

import io.agentbilling.http.server.config.InternalSecretFile;
import io.agentbilling.http.server.config.ServerConfig;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * {@code bootstrap}: creates a demo org (with its plan's sign-up credit), an admin and a member, and one API key for
 * each, through the running server's internal API, and prints the keys (shown once) and what to try next. The internal
 * secret comes from {@code BILLING_INTERNAL_SECRET} or, on an embedded setup, from the data directory.
 */
final class Bootstrap {
    private Bootstrap() {}

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String url = "http://localhost:" + env.getOrDefault(ServerConfig.PORT, "8080");
        String plan = "free";
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1].replaceAll("/+$", "");
                case "--plan" -> plan = args[i + 1];
                default -> {
                    err.println("unknown option " + args[i]);
                    return 2;
                }
            }
        }
        try {
            String secret = secret(env);
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            JsonNode org = post(client, url + "/v1/internal/orgs", secret,
                    Map.of("name", "Demo org", "plan", plan, "idempotencyKey", "bootstrap-" + UUID.randomUUID()));
            String orgId = org.path("id").asText();
            JsonNode admin = post(client, url + "/v1/internal/orgs/" + orgId + "/members", secret,
                    Map.of("email", "admin@example.com", "role", "admin"));
            JsonNode member = post(client, url + "/v1/internal/orgs/" + orgId + "/members", secret,
                    Map.of("email", "member@example.com", "role", "member"));
            JsonNode adminKey = post(client, url + "/v1/internal/orgs/" + orgId + "/api-keys", secret,
                    Map.of("memberId", admin.path("id").asText(), "name", "demo admin key"));
            JsonNode memberKey = post(client, url + "/v1/internal/orgs/" + orgId + "/api-keys", secret,
                    Map.of("memberId", member.path("id").asText(), "name", "demo member key"));
            out.println("Created org " + orgId + " on plan " + plan + " (balance " + org.path("balanceCents").asLong() + " cents)");
            out.println("  admin  " + admin.path("id").asText() + "  key: " + adminKey.path("key").asText());
            out.println("  member " + member.path("id").asText() + "  key: " + memberKey.path("key").asText());
            out.println("The keys are shown once. Try:");
            out.println("  export RUNTOOLS_API_KEY=" + adminKey.path("key").asText());
            out.println("  curl " + url + "/v1/billing/plan -H \"X-API-Key: $RUNTOOLS_API_KEY\"");
            return 0;
        } catch (IOException | IllegalStateException e) {
            err.println("bootstrap failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String secret(Map<String, String> env) throws IOException {
        String configured = env.get(ServerConfig.INTERNAL_SECRET);
        if (configured != null && !configured.isBlank()) {
            return configured.strip();
        }
        Path file = Path.of(env.getOrDefault(ServerConfig.DATA_DIR, "./billing-data")).resolve(InternalSecretFile.FILE_NAME);
        if (!Files.exists(file)) {
            throw new IllegalStateException("set BILLING_INTERNAL_SECRET, or run from the directory whose "
                    + "billing-data/ holds the server's generated secret (" + file.toAbsolutePath() + " not found)");
        }
        return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    private static JsonNode post(HttpClient client, String url, String secret, Map<String, String> body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("X-Internal-Secret", secret)
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.mapper().readTree(response.body()).path("data");
    }
}
