package io.agentbilling.http.server.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.http.support.TestClient;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.json.StatusView;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.javalin.Javalin;
import java.net.ConnectException;
import java.net.Socket;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch handlerStarted = new CountDownLatch(1);

    /** A route that takes {@code millis} and records when it is done. */
    private RouteGroup slowRoute(long millis) {
        return routes -> routes.get("/slow", Access.PUBLIC_NONE).handle(ctx -> {
            handlerStarted.countDown();
            Thread.sleep(millis);
            events.add("handler finished");
            return Reply.ok(new StatusView("done"));
        });
    }

    private static Javalin server(RouteGroup routes) {
        return BillingHttpServer.create(HttpServerSettings.forTests(), new HttpDependencies(key -> Optional.empty(),
                List.of(), ReadinessCheck.alwaysReady(), new HttpMetrics()), List.of(routes));
    }

    private CompletableFuture<Answer> callSlow(int port) throws InterruptedException {
        TestClient client = TestClient.builder().base("http://127.0.0.1:" + port).build();
        CompletableFuture<Answer> inFlight = CompletableFuture.supplyAsync(() -> client.get("/slow"));
        assertThat(handlerStarted.await(10, TimeUnit.SECONDS)).as("the request reached its handler").isTrue();
        return inFlight;
    }

    @Test
    void stopping_lets_in_flight_requests_finish_and_accepts_no_new_ones() throws Exception {
        Javalin app = server(slowRoute(1_200)).start(0);
        int port = app.port();
        CompletableFuture<Answer> inFlight = callSlow(port);

        long stopStarted = System.nanoTime();
        app.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopStarted);

        Answer response = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.body()).contains("\"done\"");
        assertThat(stopMillis).as("stop waited for the in-flight request, not for the whole 5 s timeout")
                .isBetween(300L, 4_000L);
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void the_lifecycle_closes_resources_only_after_the_server_drained_and_in_reverse_order() throws Exception {
        ServerLifecycle lifecycle = ServerLifecycle.start(server(slowRoute(800)),
                () -> events.add("database closed"), () -> events.add("pool closed"));
        CompletableFuture<Answer> inFlight = callSlow(lifecycle.port());

        lifecycle.close();
        lifecycle.close();

        assertThat(inFlight.get(5, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(events).containsExactly("handler finished", "pool closed", "database closed");
    }
}
