package io.agentbilling.http.server;

import static io.agentbilling.http.support.TestServer.ADMIN_KEY;
import static io.agentbilling.http.support.TestServer.MEMBER_KEY;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.http.errors.ErrorCode;
import io.agentbilling.http.support.TestServer;
import io.agentbilling.http.support.Answer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeAndErrorsTest {
    private static final String GENERATED_ID = "req_[A-Za-z0-9]{24}";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Every error: the envelope, the code, the status, and the same request id in header and body. */
    private static JsonNode assertError(Answer response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        JsonNode error = response.json().path("error");
        assertThat(error.path("code").asText()).as(response.toString()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(response.header("X-Request-Id")).isNotNull();
        assertThat(error.path("requestId").asText()).isEqualTo(response.header("X-Request-Id"));
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "<html");
        return error;
    }

    @Test
    void a_success_is_data_and_meta_with_the_request_id() {
        Answer response = server.get("/v1/demo/member", "X-API-Key", MEMBER_KEY);
        assertThat(response.status()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.path("data").path("orgId").asText()).isEqualTo(TestServer.ORG.toString());
        assertThat(body.path("meta").path("requestId").asText()).matches(GENERATED_ID)
                .isEqualTo(response.header("X-Request-Id"));
        assertThat(response.header("Cache-Control")).contains("no-store");
    }

    @Test
    void a_list_adds_has_more_and_next_cursor() {
        JsonNode body = server.get("/v1/demo/items?limit=3", "X-API-Key", MEMBER_KEY).json();
        assertThat(body.path("data")).hasSize(3);
        assertThat(body.path("data").get(0).path("number").asInt()).isEqualTo(1);
        assertThat(body.path("meta").path("hasMore").asBoolean()).isTrue();
        assertThat(body.path("meta").path("nextCursor").asText()).isEqualTo("cursor-3");
    }

    @Test
    void a_route_declared_201_answers_201_and_a_declared_204_has_no_body() {
        Answer created = server.post("/v1/demo/charges", "{\"amountCents\": 500, \"description\": \"x\","
                + " \"at\": \"2026-11-27T10:31:00Z\"}", "X-API-Key", MEMBER_KEY);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("data").path("at").asText()).isEqualTo("2026-11-27T10:31:00Z");
        Answer deleted = server.delete("/v1/demo/things/" + java.util.UUID.randomUUID(), "X-API-Key", ADMIN_KEY);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(deleted.header("X-Request-Id")).isNotNull();
    }

    @Test
    void a_sane_caller_request_id_is_echoed_and_an_insane_one_replaced() {
        Answer echoed = server.get("/health", "X-Request-Id", "trace-42.a_b");
        assertThat(echoed.header("X-Request-Id")).contains("trace-42.a_b");
        assertThat(echoed.json().path("meta").path("requestId").asText()).isEqualTo("trace-42.a_b");

        Answer replaced = server.get("/health", "X-Request-Id", "bad id; drop table");
        assertThat(replaced.header("X-Request-Id")).matches(GENERATED_ID);
        Answer tooLong = server.get("/health", "X-Request-Id", "a".repeat(65));
        assertThat(tooLong.header("X-Request-Id")).matches(GENERATED_ID);
        Answer errorEchoed = server.get("/nope", "X-Request-Id", "trace-43");
        assertThat(assertError(errorEchoed, 404, "not_found").path("requestId").asText()).isEqualTo("trace-43");
    }

    @ParameterizedTest
    @EnumSource(BillingError.class)
    void every_core_error_has_its_status_from_the_one_table(BillingError error) {
        ErrorCode code = ErrorCode.of(error);
        JsonNode body = assertError(server.get("/v1/demo/fail/" + error.name()), code.status(), error.code());
        if (code != ErrorCode.INTERNAL_ERROR) {
            assertThat(body.path("message").asText()).isEqualTo("refused as asked: " + error.name());
        }
    }

    @Test
    void the_table_has_the_documented_statuses() {
        assertThat(ErrorCode.of(BillingError.PAYMENT_DECLINED).status()).isEqualTo(402);
        assertThat(ErrorCode.of(BillingError.UNKNOWN_MODEL).status()).isEqualTo(422);
        assertThat(ErrorCode.of(BillingError.PAYMENT_METHOD_REQUIRED).status()).isEqualTo(422);
        assertThat(ErrorCode.of(BillingError.IDEMPOTENCY_CONFLICT).status()).isEqualTo(409);
        assertThat(ErrorCode.of(BillingError.PAYMENT_PROVIDER_ERROR).status()).isEqualTo(502);
        assertThat(ErrorCode.of(BillingError.INVALID_TOKEN).status()).isEqualTo(401);
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::wireCode)).doesNotHaveDuplicates();
    }

    @Test
    void an_unexpected_exception_is_a_generic_500_without_internals() {
        JsonNode error = assertError(server.get("/v1/demo/fail/runtime"), 500, "internal_error");
        assertThat(error.path("message").asText()).doesNotContain("ledger_x", "IllegalState")
                .contains(error.path("requestId").asText());
        assertError(server.get("/v1/demo/fail/error"), 500, "internal_error");
    }

    @Test
    void a_pool_timeout_anywhere_in_the_cause_chain_is_503_and_a_wrapped_refusal_keeps_its_code() {
        // Every connection busy, the database fine: the server is overloaded, not the database unavailable.
        Answer overloaded = server.get("/v1/demo/fail/pool");
        JsonNode busy = assertError(overloaded, 503, "overloaded");
        assertThat(busy.path("message").asText()).contains("overloaded").doesNotContain("unavailable");
        assertThat(overloaded.header("Retry-After")).contains("1");
        // The pool's wait ran out because no connection could be made: the database is unavailable.
        Answer unavailable = server.get("/v1/demo/fail/pool-down");
        assertError(unavailable, 503, "unavailable");
        assertThat(unavailable.header("Retry-After")).isNotNull();
        assertError(server.get("/v1/demo/fail/wrapped"), 404, "not_found");
    }

    @Test
    void an_unknown_path_is_404_and_a_known_path_with_another_method_is_405_with_allow() {
        assertError(server.get("/v1/nothing/here"), 404, "not_found");
        assertError(server.get("/"), 404, "not_found");
        Answer wrongMethod = server.get("/v1/demo/charges", "X-API-Key", MEMBER_KEY);
        assertError(wrongMethod, 405, "method_not_allowed");
        assertThat(wrongMethod.header("Allow")).contains("POST");
        Answer put = server.send("PUT", "/health", null, null);
        assertError(put, 405, "method_not_allowed");
        assertThat(put.header("Allow")).contains("GET, HEAD");
        Answer options = server.send("OPTIONS", "/v1/demo/things/abc", null, null);
        assertError(options, 405, "method_not_allowed");
        assertThat(options.header("Allow")).contains("DELETE");
    }

    @Test
    void head_is_answered_for_get_routes_with_the_same_access_rule() {
        assertThat(server.send("HEAD", "/health", null, null).status()).isEqualTo(200);
        assertThat(server.send("HEAD", "/v1/demo/member", null, null).status())
                .isEqualTo(401);
        assertThat(server.send("HEAD", "/v1/demo/member", null, null,
                "X-API-Key", MEMBER_KEY).status()).isEqualTo(200);
    }

    @Test
    void a_body_over_one_mib_is_413_by_content_length_and_by_actual_size() throws IOException {
        String tooLong = rawRequest("POST /v1/demo/charges HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + MEMBER_KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\nConnection: close\r\n\r\n{}");
        assertThat(tooLong).startsWith("HTTP/1.1 413").contains("\"payload_too_large\"");

        byte[] big = ("{\"description\": \"" + "x".repeat(1_100_000) + "\", \"amountCents\": 1}").getBytes(UTF_8);
        Answer chunked = server.send(HttpRequest.newBuilder(server.uri("/v1/demo/charges"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))),
                "X-API-Key", MEMBER_KEY);
        assertError(chunked, 413, "payload_too_large");

        // Also where the handler never reads the body: the limit does not depend on the handler.
        Answer unread = server.send(HttpRequest.newBuilder(server.uri("/v1/demo/internal"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))),
                "X-Internal-Secret", TestServer.SCHEDULER_SECRET);
        assertError(unread, 413, "payload_too_large");

        byte[] justUnder = ("{\"description\": \"" + "x".repeat(1_000_000) + "\", \"amountCents\": 1}").getBytes(UTF_8);
        Answer fits = server.send(HttpRequest.newBuilder(server.uri("/v1/demo/charges"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(justUnder)), "X-API-Key", MEMBER_KEY);
        assertThat(fits.status()).isEqualTo(201);
    }

    @Test
    void a_body_that_is_not_json_is_415_and_an_empty_one_400() {
        Answer text = server.send(HttpRequest.newBuilder(server.uri("/v1/demo/charges"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")),
                "X-API-Key", MEMBER_KEY);
        assertError(text, 415, "unsupported_media_type");
        Answer latin1 = server.send(HttpRequest.newBuilder(server.uri("/v1/demo/charges"))
                .header("Content-Type", "application/json; charset=iso-8859-1")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), "X-API-Key", MEMBER_KEY);
        assertError(latin1, 415, "unsupported_media_type");
        Answer utf8 = server.send(HttpRequest.newBuilder(server.uri("/v1/demo/charges"))
                .header("Content-Type", "application/json; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amountCents\": 1, \"description\": \"é\"}")),
                "X-API-Key", MEMBER_KEY);
        assertThat(utf8.status()).isEqualTo(201);
        assertThat(utf8.json().path("data").path("description").asText()).isEqualTo("é");

        JsonNode empty = assertError(server.post("/v1/demo/charges", "", "X-API-Key", MEMBER_KEY), 400, "bad_request");
        assertThat(empty.path("details").get(0).path("field").asText()).isEqualTo("body");
        assertError(server.send("POST", "/v1/demo/charges", null, null,
                "X-API-Key", MEMBER_KEY), 400, "bad_request");
    }

    @Test
    void bad_json_is_400_naming_the_field() {
        assertThat(detail("{\"amountCents\": ")).isEqualTo("body");
        assertThat(detail("{\"amountCents\": 12.5, \"description\": \"x\"}")).isEqualTo("amountCents");
        assertThat(detail("{\"amountCents\": \"12\", \"description\": \"x\"}")).isEqualTo("amountCents");
        assertThat(detail("{\"amountCents\": 9223372036854775808, \"description\": \"x\"}")).isEqualTo("amountCents");
        assertThat(detail("{\"amountCents\": 1, \"description\": \"x\", \"amountCnets\": 1}")).isEqualTo("amountCnets");
        assertThat(detail("{\"amountCents\": 1}")).isEqualTo("description");
        assertThat(detail("{\"description\": \"x\"}")).isEqualTo("amountCents");
        assertThat(detail("{\"amountCents\": 1, \"description\": \"x\", \"orgId\": \"not-a-uuid\"}")).isEqualTo("orgId");
        JsonNode error = assertError(server.post("/v1/demo/charges", "{\"amountCents\": 12.5, \"description\": \"x\"}",
                "X-API-Key", MEMBER_KEY), 400, "bad_request");
        assertThat(error.path("details").get(0).path("issue").asText()).isEqualTo("must be an integer");
        assertThat(error.path("message").asText()).isEqualTo("amountCents must be an integer");
    }

    @Test
    void a_bad_query_or_path_parameter_is_400_and_another_org_403() {
        assertError(server.get("/v1/demo/items?limit=11", "X-API-Key", MEMBER_KEY), 400, "bad_request");
        assertError(server.get("/v1/demo/items?limit=1&limit=2", "X-API-Key", MEMBER_KEY), 400, "bad_request");
        assertError(server.send("DELETE", "/v1/demo/things/not-a-uuid", null, null,
                "X-API-Key", ADMIN_KEY), 400, "bad_request");
        assertError(server.post("/v1/demo/charges", "{\"amountCents\": 1, \"description\": \"x\", \"orgId\": \""
                + java.util.UUID.randomUUID() + "\"}", "X-API-Key", MEMBER_KEY), 403, "forbidden");
    }

    @Test
    void method_override_headers_are_refused() {
        assertError(server.get("/v1/demo/charges", "X-HTTP-Method-Override", "POST", "X-API-Key", MEMBER_KEY),
                400, "bad_request");
    }

    @Test
    void malformed_http_gets_json_from_jetty_too() throws IOException {
        String badHeader = rawRequest("GET /health HTTP/1.1\r\nHost: localhost\r\nBroken header line\r\n\r\n");
        assertThat(badHeader).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/json")
                .contains("\"bad_request\"").doesNotContain("<html");
        String hugeUri = rawRequest("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(hugeUri).startsWith("HTTP/1.1 4").contains("\"error\"").doesNotContain("<html");
        String badVersion = rawRequest("GET /health HTTP/9.9\r\nHost: localhost\r\n\r\n");
        assertThat(badVersion).doesNotContain("<html");
    }

    private static String detail(String json) {
        Answer response = server.post("/v1/demo/charges", json, "X-API-Key", MEMBER_KEY);
        return assertError(response, 400, "bad_request").path("details").get(0).path("field").asText();
    }

    private static String rawRequest(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65_536];
            StringBuilder answer = new StringBuilder();
            int read;
            try {
                while ((read = in.read(buffer)) > 0) {
                    answer.append(new String(buffer, 0, read, UTF_8));
                    if (answer.indexOf("\r\n\r\n") > 0 && answer.toString().contains("}")) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // what we have is the answer
            }
            return answer.toString();
        }
    }
}
