package io.agentbilling.http.support;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The tests' one HTTP client: the JDK's, HTTP/1.1, no redirects followed, and it never throws: every request comes
 * back as an {@link Answer}, status 0 when no HTTP answer came. Bound to a server's base URL ({@link #at} gives the
 * same client for another server, {@link #within} another timeout); {@code internal…} calls add the service
 * credential. Thread-safe; copies share one connection pool.
 */
public final class TestClient {
    /** The header that carries the service credential on {@code /v1/internal} routes. */
    public static final String INTERNAL_SECRET_HEADER = "X-Internal-Secret";

    private final HttpClient http;
    private final String base;
    private final Duration timeout;
    private final String internalSecret;
    private final Consumer<Answer> listener;
    private final boolean resendUnsent;

    private TestClient(HttpClient http, String base, Duration timeout, String internalSecret,
                       Consumer<Answer> listener, boolean resendUnsent) {
        this.http = http;
        this.base = base;
        this.timeout = timeout;
        this.internalSecret = internalSecret;
        this.listener = listener;
        this.resendUnsent = resendUnsent;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The same client (pool, credential, listener) for the server at {@code base} ({@code http://host:port}). */
    public TestClient at(String base) {
        return new TestClient(http, base, timeout, internalSecret, listener, resendUnsent);
    }

    /** The same client with another request timeout. */
    public TestClient within(Duration timeout) {
        return new TestClient(http, base, timeout, internalSecret, listener, resendUnsent);
    }

    public String base() {
        if (base == null) {
            throw new IllegalStateException("this client names no server: use at(base)");
        }
        return base;
    }

    public URI uri(String pathAndQuery) {
        return URI.create(base() + pathAndQuery);
    }

    public Answer get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    public Answer post(String path, String json, String... headers) {
        return send("POST", path, "application/json", json.getBytes(UTF_8), headers);
    }

    public Answer put(String path, String json, String... headers) {
        return send("PUT", path, "application/json", json.getBytes(UTF_8), headers);
    }

    public Answer delete(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE(), headers);
    }

    public Answer internalGet(String path, String... headers) {
        return get(path, withSecret(headers));
    }

    public Answer internalPost(String path, String json, String... headers) {
        return post(path, json, withSecret(headers));
    }

    public Answer internalPut(String path, String json, String... headers) {
        return put(path, json, withSecret(headers));
    }

    public Answer internalDelete(String path, String... headers) {
        return delete(path, withSecret(headers));
    }

    /** {@code body} (null: none) with this content type (null: no header). */
    public Answer send(String method, String path, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request, headers);
    }

    /** Any request, with alternating header names and values added. */
    public Answer send(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpRequest built = request.timeout(timeout).build();
        for (int attempt = 1; ; attempt++) {
            Answer answer = exchange(built);
            if (resendUnsent && attempt == 1 && neverSent(answer)) {
                continue;
            }
            listener.accept(answer);
            return answer;
        }
    }

    private Answer exchange(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
            return new Answer(request.method(), request.uri(), response.statusCode(), response.body(),
                    response.headers().map(), since(start), null);
        } catch (IOException e) {
            return new Answer(request.method(), request.uri(), 0, "", Map.of(), since(start), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(request.method(), request.uri(), 0, "", Map.of(), since(start), e);
        }
    }

    /**
     * The server had closed the pooled connection after its previous answer (Jetty does after refusing a malformed
     * request), so this request never reached it.
     */
    private static boolean neverSent(Answer answer) {
        return answer.failure() instanceof IOException
                && String.valueOf(answer.failure().getMessage()).contains("received no bytes");
    }

    private String[] withSecret(String[] headers) {
        if (internalSecret == null) {
            throw new IllegalStateException("this client has no internal secret");
        }
        String[] all = new String[headers.length + 2];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = INTERNAL_SECRET_HEADER;
        all[headers.length + 1] = internalSecret;
        return all;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** How a {@link TestClient} is made. */
    public static final class Builder {
        private String base;
        private Duration timeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private String internalSecret;
        private Consumer<Answer> listener = answer -> { };
        private boolean resendUnsent;

        private Builder() {
        }

        public Builder base(String base) {
            this.base = Objects.requireNonNull(base);
            return this;
        }

        /** Each request's whole timeout; 30 s unless set. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout);
            return this;
        }

        /** The service credential the {@code internal…} calls send. */
        public Builder internalSecret(String internalSecret) {
            this.internalSecret = Objects.requireNonNull(internalSecret);
            return this;
        }

        /** Told of every answer (e.g. to check them against the OpenAPI document afterwards). */
        public Builder onAnswer(Consumer<Answer> listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Sends a request once more when the connection it went out on had been closed by the server before it could
         * arrive. Only for suites that provoke such closes on purpose: a fault suite must see the failure instead.
         */
        public Builder resendUnsent() {
            this.resendUnsent = true;
            return this;
        }

        public TestClient build() {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
            return new TestClient(http, base, timeout, internalSecret, listener, resendUnsent);
        }
    }
}
