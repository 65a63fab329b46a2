package io.agentbilling.client;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/** What both clients' builders share, and the small helpers both use to build paths and keys. */
final class ClientConfig {
    final URI baseUrl;
    final String credential;
    RetryPolicy retryPolicy = RetryPolicy.defaults();
    Duration connectTimeout = Duration.ofSeconds(5);
    Consumer<RetryEvent> onRetry;
    HttpClient httpClient;

    ClientConfig(URI baseUrl, String credential) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.credential = Objects.requireNonNull(credential, "credential");
    }

    Transport transport(String credentialHeader) {
        HttpClient http = httpClient != null ? httpClient : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        return new Transport(baseUrl, credentialHeader, credential, http, retryPolicy, onRetry);
    }

    /** A fresh idempotency key for one logical call. */
    static String newIdempotencyKey() {
        return UUID.randomUUID().toString();
    }

    /** A path segment, percent-encoded (a sandbox id may hold any character). */
    static String segment(String value) {
        Objects.requireNonNull(value, "path segment");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a path segment must not be empty");
        }
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Builds {@code ?a=1&b=2}, leaving out null values. */
    static final class Query {
        private final StringBuilder text = new StringBuilder();

        Query add(String name, Object value) {
            if (value != null) {
                text.append(text.length() == 0 ? '?' : '&').append(name).append('=')
                        .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
            }
            return this;
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
