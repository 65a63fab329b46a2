package io.agentbilling.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.http.auth.Access;
import io.agentbilling.http.json.StatusView;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.support.TestServer;
import io.agentbilling.http.support.TestServer.Response;
import io.javalin.Javalin;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {
    @Test
    void stopping_lets_in_flight_requests_finish_and_accepts_no_new_ones() throws Exception {
        TestServer server = new TestServer();
        int port = server.port();
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> server.get("/v1/demo/slow?ms=1500"));
        Thread.sleep(400); // the slow request is now being handled

        long stopStarted = System.nanoTime();
        server.app.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStarted);

        Response response = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("data").path("service").asText()).isEqualTo("slow");
        assertThat(stopMillis).as("stop waited for the in-flight request, not for the whole 5 s timeout")
                .isBetween(500L, 4_000L);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void the_lifecycle_closes_resources_only_after_the_server_drained_and_in_reverse_order() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        HttpServerSettings settings = HttpServerSettings.forTests();
        RouteGroup slowRoute = routes -> routes.get("/slow", Access.PUBLIC_NONE).handle(ctx -> {
            Thread.sleep(800);
            events.add("handler finished");
            return Reply.ok(new StatusView("done"));
        });
        Javalin app = BillingHttpServer.create(settings, new HttpDependencies(key -> Optional.empty(), List.of(),
                ReadinessCheck.alwaysReady(), new HttpMetrics()), List.of(slowRoute));
        ServerLifecycle lifecycle = ServerLifecycle.start(app, () -> events.add("database closed"),
                () -> events.add("pool closed"));

        CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lifecycle.port() + "/slow")).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        lifecycle.close();
        lifecycle.close();

        assertThat(inFlight.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(events).containsExactly("handler finished", "pool closed", "database closed");
    }
}
