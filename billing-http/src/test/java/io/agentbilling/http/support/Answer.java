package io.agentbilling.http.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.json.Json;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one request got: the status, body and headers of the server's answer, or status 0 and the {@code failure} when
 * no HTTP answer came (a refused connection, a reset, a timeout), so that a load thread can record "unknown outcome"
 * and go on while a plain test fails on the status with the reason in its message. Each answer carries the request it
 * answers and how long it took.
 *
 * @param method the request's method
 * @param uri the request's URI
 * @param status the HTTP status, 0 when none came
 * @param body the body as text, empty when none came
 * @param headers the response headers as the JDK client gives them
 * @param took how long the request took, from sending to the whole body
 * @param failure why no answer came, or null
 */
public record Answer(String method, URI uri, int status, String body, Map<String, List<String>> headers,
                     Duration took, Throwable failure) {

    /** Whether the server answered at all. */
    public boolean answered() {
        return status != 0;
    }

    /** A 2xx. */
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The first value of a header (any case), or null. */
    public String header(String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    /** An idempotent replay: the {@code Idempotent-Replayed: true} header. */
    public boolean replayed() {
        return "true".equals(header("Idempotent-Replayed"));
    }

    /** The body parsed; fails the test when it is not JSON. */
    public JsonNode json() {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + this, e);
        }
    }

    /** {@code data} of a 2xx; fails the test on anything else. */
    public JsonNode data() {
        if (!ok()) {
            throw new AssertionError("expected a 2xx, got " + this);
        }
        return json().path("data");
    }

    /** {@code error.code}, or "no answer" when none came. */
    public String errorCode() {
        return answered() ? json().path("error").path("code").asText(null) : "no answer";
    }

    /** The request's path and query, as sent. */
    public String target() {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    @Override
    public String toString() {
        return method + " " + target() + " -> " + status + " after " + took.toMillis() + " ms: "
                + (failure != null ? failure : body.length() > 2_000 ? body.substring(0, 2_000) + "…" : body);
    }
}
