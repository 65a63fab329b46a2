package io.agentbilling.http.abuse;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.e2e.TestApplication;
import io.agentbilling.http.e2e.TestApplication.Response;
import io.agentbilling.http.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sends what a hostile or careless client sends, and keeps every answer, so a suite can check afterwards that no
 * answer carried a secret. Also the one definition of "the documented error envelope".
 */
final class Wire {
    /** Text that must never reach a client: stack traces, Java and driver internals, HTML. */
    private static final List<String> INTERNALS = List.of("Exception", "\tat ", "<html", "<HTML", "org.eclipse",
            "io.agentbilling", "com.fasterxml", "org.postgresql", "SQLSTATE", "jdbc:", "java.lang", "java.util");
    private static final Set<String> ERROR_FIELDS = Set.of("code", "message", "requestId", "details");

    private final TestApplication app;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<String> answers = Collections.synchronizedList(new ArrayList<>());

    Wire(TestApplication app) {
        this.app = app;
    }

    /** Sends {@code body} (null: none) with the given content type (null: no header) and headers. */
    Response send(String method, String pathAndQuery, String contentType, byte[] body, String... headers) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(pathAndQuery)).method(method, publisher);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return record(exchange(request, headers));
    }

    Response json(String method, String pathAndQuery, String json, String... headers) {
        return send(method, pathAndQuery, "application/json", json.getBytes(UTF_8), headers);
    }

    /** Sends {@code body} chunked (no Content-Length), so only its actual size can tell it is too large. */
    Response chunked(String method, String pathAndQuery, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.uri(pathAndQuery)).method(method,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        request.header("Content-Type", contentType);
        return record(exchange(request, headers));
    }

    /** A request written by hand on a socket (for what the JDK client refuses to send); the raw answer. */
    String raw(String request) {
        try (Socket socket = new Socket("127.0.0.1", app.app.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                    if (answer.toString(UTF_8).contains("\r\n\r\n") && complete(answer.toString(UTF_8))) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // the server closed or stopped answering: what came so far is the answer
            }
            String text = answer.toString(UTF_8);
            answers.add(text);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean complete(String answer) {
        int headerEnd = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, headerEnd).toLowerCase(java.util.Locale.ROOT);
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return false;
        }
        int end = head.indexOf("\r\n", at);
        long length = Long.parseLong(head.substring(at + "content-length:".length(), end < 0 ? head.length() : end)
                .trim());
        return answer.getBytes(UTF_8).length - (headerEnd + 4) >= length;
    }

    /**
     * Sends on a pooled connection. When the server closed that connection after its previous answer (Jetty does
     * after refusing a malformed request), the request never reached it: that one case is sent again, once.
     */
    private Response exchange(HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString(UTF_8));
                return new Response(response.statusCode(), response.body(), response.headers().map());
            } catch (IOException e) {
                if (attempt == 1 && String.valueOf(e.getMessage()).contains("received no bytes")) {
                    continue;
                }
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private Response record(Response response) {
        answers.add(response.status() + " " + response.headers() + " " + response.body());
        return response;
    }

    /** A sign-in session as a browser holds it: the cookie's token and the CSRF token the session answers with. */
    record SignedIn(String token, String csrf) {
        /** The {@code Cookie} header, then {@code X-CSRF-Token}: headers for {@link #send}. */
        String[] headers() {
            return new String[] {"Cookie", "billing_session=" + token, "X-CSRF-Token", csrf};
        }

        String[] withoutCsrf() {
            return new String[] {"Cookie", "billing_session=" + token};
        }
    }

    /** Signs in with {@code apiKey} ({@code POST /v1/billing/session}); fails unless it is accepted. */
    SignedIn signIn(String apiKey) {
        Response response = json("POST", "/v1/billing/session", "{\"apiKey\": \"" + apiKey + "\"}");
        if (response.status() != 201) {
            throw new AssertionError("sign-in refused: " + describe(response));
        }
        String cookie = response.header("Set-Cookie");
        String token = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        return new SignedIn(token, parse(response.body()).path("data").path("csrfToken").asText());
    }

    /** Every answer so far, as text. */
    List<String> answers() {
        synchronized (answers) {
            return new ArrayList<>(answers);
        }
    }

    static JsonNode parse(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * What is wrong with {@code response} as the documented error envelope with this status and code, naming
     * {@code field} in its details when a field is given; empty when nothing is. The body must be exactly
     * {@code {"error": {code, message, requestId, details?}}}: no data next to it, no internals in it.
     */
    static List<String> errorProblems(Response response, int status, String code, String field) {
        List<String> problems = new ArrayList<>();
        if (response.status() != status) {
            problems.add("status " + response.status() + ", expected " + status);
        }
        problems.addAll(envelopeProblems(response));
        JsonNode error = errorOf(response);
        if (error != null && code != null && !code.equals(error.path("code").asText())) {
            problems.add("code " + error.path("code").asText() + ", expected " + code);
        }
        if (error != null && field != null) {
            Set<String> fields = new HashSet<>(error.path("details").findValuesAsText("field"));
            if (!fields.contains(field)) {
                problems.add("details name " + fields + ", expected " + field);
            }
        }
        return problems;
    }

    /** What is wrong with {@code response} as an error envelope of any status and code. */
    static List<String> envelopeProblems(Response response) {
        List<String> problems = new ArrayList<>();
        String contentType = response.header("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            problems.add("content type " + contentType);
        }
        for (String internal : INTERNALS) {
            if (response.body().contains(internal)) {
                problems.add("the body shows internals (" + internal.strip() + ")");
            }
        }
        JsonNode body = parse(response.body());
        if (body == null || !body.isObject()) {
            problems.add("the body is not a JSON object");
            return problems;
        }
        List<String> top = new ArrayList<>();
        body.fieldNames().forEachRemaining(top::add);
        if (!top.equals(List.of("error"))) {
            problems.add("top-level fields " + top + ", expected only error");
        }
        JsonNode error = body.path("error");
        error.fieldNames().forEachRemaining(name -> {
            if (!ERROR_FIELDS.contains(name)) {
                problems.add("unexpected error field " + name);
            }
        });
        if (!error.path("code").isTextual() || !error.path("message").isTextual()
                || error.path("message").asText().isBlank()) {
            problems.add("error without a code and a message");
        }
        String requestId = error.path("requestId").asText("");
        if (requestId.isEmpty() || !requestId.equals(response.header("X-Request-Id"))) {
            problems.add("requestId " + requestId + " differs from X-Request-Id " + response.header("X-Request-Id"));
        }
        if (error.has("details")) {
            JsonNode details = error.path("details");
            if (!details.isArray() || details.isEmpty()) {
                problems.add("details present but not a non-empty array");
            } else {
                details.forEach(d -> {
                    if (!d.path("field").isTextual() || !d.path("issue").isTextual()) {
                        problems.add("a detail without field and issue: " + d);
                    }
                });
            }
        }
        return problems;
    }

    static JsonNode errorOf(Response response) {
        JsonNode body = parse(response.body());
        return body == null ? null : body.get("error");
    }

    static String describe(Response response) {
        String body = response.body();
        return response.status() + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
}
