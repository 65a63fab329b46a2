package io.agentbilling.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings both clients share: where the server is, the credential, the {@link RetryPolicy}, the connect timeout,
 * a retry listener, or a JDK {@link HttpClient} of your own. Not thread-safe: build, then share the client.
 *
 * @param <B> the concrete builder, returned by each setting so they chain
 * @param <C> the client it builds
 */
public abstract class ClientBuilder<B extends ClientBuilder<B, C>, C> {
    private final URI baseUrl;
    private final String credential;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Consumer<RetryEvent> onRetry;
    private HttpClient httpClient;

    ClientBuilder(URI baseUrl, String credential) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.credential = Objects.requireNonNull(credential, "credential");
    }

    /**
     * When and how long to retry (default {@link RetryPolicy#defaults()}).
     *
     * @param policy the rules that apply
     */
    public B retryPolicy(RetryPolicy policy) {
        retryPolicy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /**
     * How long to wait for a connection (default 5 s); ignored with {@link #httpClient}.
     */
    public B connectTimeout(Duration timeout) {
        connectTimeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /**
     * Called before each retry (from the calling thread), e.g. to count or log them.
     */
    public B onRetry(Consumer<RetryEvent> listener) {
        onRetry = listener;
        return self();
    }

    /**
     * Your own JDK client (proxy, TLS settings); it should not follow redirects.
     */
    public B httpClient(HttpClient client) {
        httpClient = Objects.requireNonNull(client, "client");
        return self();
    }

    public abstract C build();

    abstract B self();

    /** The transport these settings describe, sending the credential in {@code credentialHeader}. */
    Transport transport(String credentialHeader) {
        HttpClient http = httpClient != null ? httpClient : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new Transport(baseUrl, credentialHeader, credential, http, retryPolicy, onRetry);
    }
}
