package io.agentbilling.http.server;

import io.agentbilling.http.server.config.ServerConfig;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code java -cp … io.agentbilling.http.server.Main healthcheck}: the container's health probe, for images without a
 * shell or curl (ours has neither). Asks the server in the same container ({@code http://127.0.0.1:$BILLING_PORT})
 * for {@code /ready} — the process answers and its database does — and exits 0 when it answers 200, 1 otherwise,
 * within a few seconds whatever happens.
 */
final class HealthCheck {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private HealthCheck() {
    }

    static int run(Map<String, String> env, PrintStream out) {
        String port = env.getOrDefault(ServerConfig.PORT, "8080");
        if (!port.matches("\\d{1,5}")) {
            out.println("unhealthy: " + ServerConfig.PORT + " is not a port number");
            return 1;
        }
        URI ready = URI.create("http://127.0.0.1:" + port + "/ready");
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            HttpResponse<Void> response = client.send(HttpRequest.newBuilder(ready).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) {
                out.println("healthy: " + ready + " answered 200");
                return 0;
            }
            out.println("unhealthy: " + ready + " answered " + response.statusCode());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            out.println("unhealthy: " + ready + " did not answer (" + e.getClass().getSimpleName() + ")");
        }
        return 1;
    }
}
