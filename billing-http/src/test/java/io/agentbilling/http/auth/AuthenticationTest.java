package io.agentbilling.http.auth;

import static io.agentbilling.http.support.TestServer.ADMIN_KEY;
import static io.agentbilling.http.support.TestServer.MEMBER_KEY;
import static io.agentbilling.http.support.TestServer.SANDBOX_SECRET;
import static io.agentbilling.http.support.TestServer.SCHEDULER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestServer;
import io.agentbilling.http.support.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthenticationTest {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertRefused(Answer response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.errorCode()).as(response.toString()).isEqualTo(code);
        assertThat(response.json().path("error").path("requestId").asText())
                .isEqualTo(response.header("X-Request-Id"));
    }

    @Test
    void a_member_route_without_a_key_is_401_unauthorized_with_a_challenge() {
        Answer response = server.get("/v1/demo/member");
        assertRefused(response, 401, "unauthorized");
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertRefused(server.get("/v1/demo/member", "X-API-Key", "  "), 401, "unauthorized");
        assertRefused(server.get("/v1/demo/member", "Authorization", "Basic dXNlcjpwYXNz"), 401, "unauthorized");
    }

    @Test
    void an_unknown_key_is_401_invalid_token() {
        assertRefused(server.get("/v1/demo/member", "X-API-Key", "rt_live_unknown"), 401, "invalid_token");
        assertRefused(server.get("/v1/demo/member", "Authorization", "Bearer rt_live_unknown"), 401, "invalid_token");
        assertRefused(server.get("/v1/demo/member", "X-API-Key", "rt_live_" + "x".repeat(600)), 401, "invalid_token");
    }

    @Test
    void the_key_works_in_either_header() {
        assertThat(server.get("/v1/demo/member", "X-API-Key", MEMBER_KEY).status()).isEqualTo(200);
        assertThat(server.get("/v1/demo/member", "Authorization", "Bearer " + MEMBER_KEY).status()).isEqualTo(200);
        assertThat(server.get("/v1/demo/member", "Authorization", "bearer " + MEMBER_KEY).status()).isEqualTo(200);
        Answer both = server.get("/v1/demo/member", "X-API-Key", MEMBER_KEY, "Authorization", "Bearer " + MEMBER_KEY);
        assertThat(both.status()).isEqualTo(200);
        assertThat(both.json().path("data").path("role").asText()).isEqualTo("member");
    }

    @Test
    void two_different_keys_in_the_two_headers_are_refused() {
        assertRefused(server.get("/v1/demo/member", "X-API-Key", MEMBER_KEY, "Authorization", "Bearer " + ADMIN_KEY),
                400, "bad_request");
    }

    @Test
    void a_credential_header_repeated_with_different_values_is_refused_not_resolved_by_order() {
        assertRefused(server.get("/v1/demo/member", "X-API-Key", MEMBER_KEY, "X-API-Key", ADMIN_KEY), 400, "bad_request");
        assertRefused(server.get("/v1/demo/admin", "X-API-Key", ADMIN_KEY, "X-API-Key", "rt_live_unknown"),
                400, "bad_request");
        assertRefused(server.get("/v1/demo/member", "Authorization", "Bearer " + MEMBER_KEY,
                "Authorization", "Bearer " + ADMIN_KEY), 400, "bad_request");
        assertRefused(server.post("/v1/demo/internal", "{}", "X-Internal-Secret", SCHEDULER_SECRET,
                "X-Internal-Secret", "wrong"), 400, "bad_request");
        assertThat(server.get("/v1/demo/member", "X-API-Key", MEMBER_KEY, "X-API-Key", MEMBER_KEY).status())
                .isEqualTo(200);
    }

    @Test
    void a_member_on_an_admin_route_is_403_and_an_admin_passes() {
        assertRefused(server.get("/v1/demo/admin", "X-API-Key", MEMBER_KEY), 403, "forbidden");
        assertRefused(server.get("/v1/demo/admin"), 401, "unauthorized");
        assertThat(server.get("/v1/demo/admin", "X-API-Key", ADMIN_KEY).status()).isEqualTo(200);
        assertThat(server.get("/v1/demo/member", "X-API-Key", ADMIN_KEY).status()).isEqualTo(200);
    }

    @Test
    void every_configured_internal_secret_opens_internal_routes_and_names_its_service() {
        Answer scheduler = server.post("/v1/demo/internal", "{}", "X-Internal-Secret", SCHEDULER_SECRET);
        assertThat(scheduler.status()).isEqualTo(200);
        assertThat(scheduler.json().path("data").path("service").asText()).isEqualTo("scheduler");
        Answer sandbox = server.post("/v1/demo/internal", "{}", "X-Internal-Secret", SANDBOX_SECRET);
        assertThat(sandbox.json().path("data").path("service").asText()).isEqualTo("sandbox");
    }

    @Test
    void a_missing_internal_secret_is_unauthorized_and_a_wrong_one_invalid_token() {
        assertRefused(server.post("/v1/demo/internal", "{}"), 401, "unauthorized");
        assertRefused(server.post("/v1/demo/internal", "{}", "X-Internal-Secret", SCHEDULER_SECRET + "x"),
                401, "invalid_token");
        assertRefused(server.post("/v1/demo/internal", "{}", "X-Internal-Secret",
                SCHEDULER_SECRET.substring(0, SCHEDULER_SECRET.length() - 1)), 401, "invalid_token");
    }

    @Test
    void an_api_key_does_not_open_an_internal_route() {
        assertRefused(server.post("/v1/demo/internal", "{}", "X-API-Key", ADMIN_KEY), 401, "unauthorized");
        assertRefused(server.post("/v1/demo/internal", "{}", "Authorization", "Bearer " + ADMIN_KEY),
                401, "unauthorized");
        assertRefused(server.post("/v1/demo/internal", "{}", "Authorization", "Bearer " + SCHEDULER_SECRET),
                401, "unauthorized");
    }

    @Test
    void the_internal_secret_does_not_open_a_member_route() {
        assertRefused(server.get("/v1/demo/member", "X-Internal-Secret", SCHEDULER_SECRET), 401, "unauthorized");
        assertRefused(server.get("/v1/demo/member", "X-API-Key", SCHEDULER_SECRET), 401, "invalid_token");
        assertRefused(server.get("/v1/demo/admin", "Authorization", "Bearer " + SCHEDULER_SECRET), 401, "invalid_token");
    }

    @Test
    void an_unknown_route_is_404_before_any_credential_check() {
        assertRefused(server.get("/v1/demo/membr"), 404, "not_found");
    }

    @Test
    void access_is_checked_before_the_body_is_looked_at() {
        assertRefused(server.post("/v1/demo/charges", "{not json"), 401, "unauthorized");
    }
}
