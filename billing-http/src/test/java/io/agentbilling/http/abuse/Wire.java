package io.agentbilling.http.abuse;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.Envelopes;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.TestClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sends what a hostile or careless client sends, through the tests' {@link TestClient} or, for what that client refuses
 * to send, by hand on a socket; keeps every answer, so a suite can check afterwards that no answer carried a secret.
 */
final class Wire {
    private final TestApplication app;
    private final List<String> answers = Collections.synchronizedList(new ArrayList<>());
    private final TestClient client;

    Wire(TestApplication app) {
        this.app = app;
        this.client = TestClient.builder().base(app.client().base()).resendUnsent()
                .onAnswer(answer -> answers.add(answer.status() + " " + answer.headers() + " " + answer.body()))
                .build();
    }

    /** Sends {@code body} (null: none) with the given content type (null: no header) and headers. */
    Answer send(String method, String pathAndQuery, String contentType, byte[] body, String... headers) {
        return client.send(method, pathAndQuery, contentType, body, headers);
    }

    Answer json(String method, String pathAndQuery, String json, String... headers) {
        return send(method, pathAndQuery, "application/json", json.getBytes(UTF_8), headers);
    }

    /** Sends {@code body} chunked (no Content-Length), so only its actual size can tell it is too large. */
    Answer chunked(String method, String pathAndQuery, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(client.uri(pathAndQuery)).method(method,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
        request.header("Content-Type", contentType);
        return client.send(request, headers);
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
        Answer response = json("POST", "/v1/billing/session", "{\"apiKey\": \"" + apiKey + "\"}");
        if (response.status() != 201) {
            throw new AssertionError("sign-in refused: " + describe(response));
        }
        String cookie = response.header("Set-Cookie");
        String token = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        return new SignedIn(token, Envelopes.parse(response.body()).path("data").path("csrfToken").asText());
    }

    /** Every answer so far, as text. */
    List<String> answers() {
        synchronized (answers) {
            return new ArrayList<>(answers);
        }
    }

    static String describe(Answer response) {
        String body = response.body();
        return response.status() + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
}
