package io.agentbilling.http.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A JDK HTTP client for the fault suites that never throws: a refused connection, a reset or a timeout comes back as
 * an {@link Answer} with status 0 and the failure, so a load thread can record "unknown outcome" and go on. Each answer
 * carries how long it took. Thread-safe.
 */
final class Http {
    static final String SECRET_HEADER = "X-Internal-Secret";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String secret;

    Http(String internalSecret) {
        this.secret = internalSecret;
    }

    /** One answer: status 0 when no HTTP answer came (then {@code failure} says why). */
    record Answer(int status, String body, Map<String, List<String>> headers, Duration took, Throwable failure) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        boolean replayed() {
            return "true".equals(header("Idempotent-Replayed"));
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        JsonNode data() {
            if (!ok()) {
                throw new AssertionError("expected a 2xx, got " + this);
            }
            return json().path("data");
        }

        String errorCode() {
            return status == 0 ? "no answer" : json().path("error").path("code").asText();
        }

        @Override
        public String toString() {
            return status + " after " + took.toMillis() + " ms: " + (failure != null ? failure : body);
        }
    }

    Answer internalPost(String base, String path, String json, Duration timeout, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header(SECRET_HEADER, secret).POST(HttpRequest.BodyPublishers.ofString(json)), timeout, headers);
    }

    Answer internalGet(String base, String path, Duration timeout) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header(SECRET_HEADER, secret).GET(), timeout);
    }

    Answer get(String base, String path, Duration timeout, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), timeout, headers);
    }

    Answer post(String base, String path, String json, Duration timeout, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), timeout, headers);
    }

    Answer put(String base, String path, String json, Duration timeout, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), timeout, headers);
    }

    Answer send(HttpRequest.Builder request, Duration timeout, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request.timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.body(), response.headers().map(), since(start), null);
        } catch (IOException e) {
            return new Answer(0, "", Map.of(), since(start), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "", Map.of(), since(start), e);
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
