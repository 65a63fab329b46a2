package io.agentbilling.http.json;

/** {@code {"status": "ok"}}: the body of {@code /health} and {@code /ready}. */
public record StatusView(String status) {
}
