package io.agentbilling.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A reverse proxy in front of the real server that injects the failures a client meets between it and the server:
 * a 429 with {@code Retry-After}, a 503, a connection dropped before the request reaches the server, a connection
 * dropped after the server has processed it (the answer is lost), an answer slower than the client's timeout.
 * Faults are scripted per request, in order; unscripted requests pass through. Every request is recorded (method,
 * path, headers, body) so a test can check what each attempt sent. Thread-safe.
 */
final class FaultProxy implements AutoCloseable {
    enum Fault {
        PASS,
        /** 429 {@code rate_limited} with {@code Retry-After}; not forwarded. */
        RATE_LIMIT,
        /** 503 {@code unavailable} with {@code Retry-After: 1}; not forwarded. */
        UNAVAILABLE,
        /** 500 {@code internal_error}; not forwarded. */
        INTERNAL_ERROR,
        /** 400 {@code bad_request} for the request as a whole; not forwarded. */
        BAD_REQUEST,
        /** 401 {@code invalid_token}, as for a wrong credential; not forwarded. */
        UNAUTHORIZED,
        /** The connection closes without an answer; not forwarded. */
        DROP_BEFORE_FORWARD,
        /** Forwarded and processed by the server; then the connection closes without the answer. */
        DROP_AFTER_FORWARD,
        /** No answer for {@link #STALL}, then the connection closes; not forwarded. */
        STALL
    }

    /** One request as the proxy received it, and what it did with it. */
    record Seen(String method, String path, String idempotencyKeyHeader, String authorization, byte[] body,
                Fault fault, long atNanos) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static final Duration STALL = Duration.ofSeconds(3);
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "host", "upgrade", "date");

    private final URI target;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient forward = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final Deque<Fault> script = new ArrayDeque<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile int retryAfterSeconds = 1;
    private volatile Duration delay = Duration.ZERO;
    private volatile String onlyPathsContaining = "";

    FaultProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next requests (whose path contains {@link #scriptOnly}) meet these faults, in order. */
    synchronized FaultProxy script(Fault... faults) {
        script.addAll(List.of(faults));
        return this;
    }

    /** Forgets the faults not met yet. */
    synchronized FaultProxy clearScript() {
        script.clear();
        return this;
    }

    /** Faults apply only to paths containing this text (others pass); "" for all. */
    FaultProxy scriptOnly(String pathPart) {
        onlyPathsContaining = pathPart;
        return this;
    }

    FaultProxy retryAfterSeconds(int seconds) {
        retryAfterSeconds = seconds;
        return this;
    }

    /** Holds every request this long before handling it: slows the client down. */
    FaultProxy delay(Duration perRequest) {
        delay = perRequest;
        return this;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    List<Seen> seen(String pathPart) {
        return seen.stream().filter(s -> s.path().contains(pathPart)).toList();
    }

    private synchronized Fault next(String path) {
        if (!path.contains(onlyPathsContaining) || script.isEmpty()) {
            return Fault.PASS;
        }
        return script.removeFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        sleep(delay);
        Fault fault = next(path);
        seen.add(new Seen(exchange.getRequestMethod(), path,
                exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                exchange.getRequestHeaders().getFirst("X-Internal-Secret"), body, fault, System.nanoTime()));
        switch (fault) {
            case RATE_LIMIT -> error(exchange, 429, "rate_limited", "too many requests", retryAfterSeconds);
            case UNAVAILABLE -> error(exchange, 503, "unavailable", "the database is unavailable", 1);
            case INTERNAL_ERROR -> error(exchange, 500, "internal_error", "an internal error occurred", 0);
            case BAD_REQUEST -> error(exchange, 400, "bad_request", "events must hold 1 to 1000 events", 0);
            case UNAUTHORIZED -> error(exchange, 401, "invalid_token", "the credential is not valid", 0);
            case DROP_BEFORE_FORWARD -> throw new DroppedOnPurpose();
            case STALL -> {
                sleep(STALL);
                throw new DroppedOnPurpose();
            }
            case DROP_AFTER_FORWARD -> {
                forward(exchange, path, body);
                throw new DroppedOnPurpose();
            }
            case PASS -> relay(exchange, forward(exchange, path, body));
        }
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String path, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target + path)).timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), body.length == 0 && exchange.getRequestMethod().equals("GET")
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        try {
            return forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        byte[] body = response.body();
        exchange.sendResponseHeaders(response.statusCode(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private static void error(HttpExchange exchange, int status, String code, String message, int retryAfter)
            throws IOException {
        byte[] body = ("{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message
                + "\",\"requestId\":\"req_proxy" + System.nanoTime() + "\"}}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter > 0) {
            exchange.getResponseHeaders().set("Retry-After", Integer.toString(retryAfter));
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thrown from the handler: the JDK server then closes the connection without an answer. */
    private static final class DroppedOnPurpose extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DroppedOnPurpose() {
            super("connection dropped on purpose", null, false, false);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
