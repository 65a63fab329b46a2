package io.agentbilling.http.server.infrastructure;

import static io.agentbilling.http.support.TestServer.ADMIN_KEY;
import static io.agentbilling.http.support.TestServer.MEMBER_KEY;
import static io.agentbilling.http.support.TestServer.SANDBOX_SECRET;
import static io.agentbilling.http.support.TestServer.SCHEDULER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.LogCapture;
import io.agentbilling.http.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestLogTest {
    @Test
    void one_line_per_request_with_route_status_and_org_and_never_a_credential() {
        String body = "{\"amountCents\": 1, \"description\": \"private words\"}";
        try (LogCapture log = new LogCapture(); TestServer server = new TestServer()) {
            server.get("/v1/demo/member", "X-API-Key", MEMBER_KEY);
            server.get("/v1/demo/admin", "Authorization", "Bearer " + MEMBER_KEY);
            server.get("/v1/demo/admin", "Authorization", "Bearer " + ADMIN_KEY, "X-Request-Id", "trace-1");
            server.get("/v1/demo/member", "X-API-Key", ADMIN_KEY + "-wrong");
            server.post("/v1/demo/internal", "{}", "X-Internal-Secret", SCHEDULER_SECRET);
            server.post("/v1/demo/internal", "{}", "X-Internal-Secret", SANDBOX_SECRET + "-wrong");
            server.post("/v1/demo/charges", body, "X-API-Key", MEMBER_KEY);
            server.post("/v1/demo/charges", "{\"amountCents\": 1.5}", "X-API-Key", MEMBER_KEY);
            server.get("/v1/demo/fail/runtime", "X-API-Key", MEMBER_KEY);
            server.get("/v1/demo/member?apiKey=" + MEMBER_KEY);

            List<String> lines = log.linesOf(RequestObserver.LOGGER_NAME);
            assertThat(lines).hasSize(10);
            assertThat(lines.get(0)).contains("method=GET", "route=/v1/demo/member", "status=200",
                    "orgId=" + TestServer.ORG, "latencyMs=");
            assertThat(lines.get(1)).contains("route=/v1/demo/admin", "status=403", "orgId=" + TestServer.ORG);
            assertThat(lines.get(2)).contains("requestId=trace-1", "status=200");
            assertThat(lines.get(4)).contains("service=scheduler", "status=200");
            assertThat(lines.get(6)).contains("method=POST", "status=201");

            String everything = log.everything();
            assertThat(everything).contains("internal error"); // the 500 was logged, with its stack trace
            for (String secret : List.of(MEMBER_KEY, ADMIN_KEY, SCHEDULER_SECRET, SANDBOX_SECRET, "private words")) {
                assertThat(everything).doesNotContain(secret);
            }
        }
    }
}
