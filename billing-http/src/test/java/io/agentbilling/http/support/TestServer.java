package io.agentbilling.http.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.http.auth.InternalCredential;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.server.infrastructure.BillingHttpServer;
import io.agentbilling.http.server.infrastructure.HttpDependencies;
import io.agentbilling.http.server.infrastructure.HttpMetrics;
import io.agentbilling.http.server.infrastructure.HttpServerSettings;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A real server on a free port, with the demo routes, known keys and secrets, and a JDK HTTP client. */
public final class TestServer implements AutoCloseable {
    public static final String MEMBER_KEY = "rt_test_member_0123456789abcdef";
    public static final String ADMIN_KEY = "rt_test_admin_0123456789abcdef";
    public static final String SCHEDULER_SECRET = "scheduler-secret-0123456789abcdef";
    public static final String SANDBOX_SECRET = "sandbox-secret-fedcba9876543210";
    public static final OrgId ORG = OrgId.of("11111111-1111-4111-8111-111111111111");
    public static final Caller MEMBER = new Caller(ORG, MemberId.of("22222222-2222-4222-8222-222222222222"),
            Role.MEMBER, ApiKeyId.random());
    public static final Caller ADMIN = new Caller(ORG, MemberId.of("33333333-3333-4333-8333-333333333333"),
            Role.ADMIN, ApiKeyId.random());

    /** Set to make {@code /ready} fail. */
    public final AtomicReference<Exception> notReady = new AtomicReference<>();
    public final HttpMetrics metrics = new HttpMetrics();
    public final Javalin app;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public TestServer() {
        this(List.of(new DemoRoutes()));
    }

    public TestServer(List<? extends RouteGroup> groups) {
        Map<String, Caller> keys = Map.of(MEMBER_KEY, MEMBER, ADMIN_KEY, ADMIN);
        HttpDependencies dependencies = new HttpDependencies(
                key -> Optional.ofNullable(keys.get(key)),
                List.of(new InternalCredential("scheduler", SCHEDULER_SECRET),
                        new InternalCredential("sandbox", SANDBOX_SECRET)),
                () -> {
                    Exception failure = notReady.get();
                    if (failure != null) {
                        throw failure;
                    }
                },
                metrics);
        app = BillingHttpServer.create(HttpServerSettings.forTests(), dependencies, groups).start(0);
    }

    public int port() {
        return app.port();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public Response get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public Response postJson(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    public Response method(String method, String path, HttpRequest.BodyPublisher body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).method(method, body), headers);
    }

    public Response send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString(UTF_8));
            return new Response(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }

    /** A response with its body parsed when it is JSON. */
    public record Response(HttpResponse<String> raw) {
        public int status() {
            return raw.statusCode();
        }

        public String body() {
            return raw.body();
        }

        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + raw.body(), e);
            }
        }

        public String errorCode() {
            return json().path("error").path("code").asText(null);
        }

        @Override
        public String toString() {
            return raw.statusCode() + " " + raw.headers().map() + " " + raw.body();
        }
    }
}
