package io.agentbilling.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

/** Helpers both clients use to build requests: idempotency keys, path segments, query strings. */
final class Requests {
    private Requests() {
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
