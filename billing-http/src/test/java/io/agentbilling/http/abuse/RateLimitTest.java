package io.agentbilling.http.abuse;

import static io.agentbilling.http.support.Envelopes.errorProblems;
import static io.agentbilling.http.support.Envelopes.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The public API's rate limit per API key, on the real server: a key that spends its burst is answered 429
 * {@code rate_limited} with {@code Retry-After} and the {@code RateLimit-*} headers, in the error envelope, and nothing
 * changes; another key, internal routes and routes without a credential are not affected. The limit here is 1 request
 * a second with a burst of 5, so a burst of requests runs out long before a token comes back (the test counts on no
 * timing beyond "the requests of a loop are faster than one a second").
 */
class RateLimitTest {
    private static final int BURST = 5;
    private static final int ATTEMPTS = 200;

    private static TestApplication app;
    private static Wire wire;
    private static TestOrg org;

    @BeforeAll
    static void start() {
        app = new TestApplication(Map.of(ServerConfig.RATE_LIMIT_RPS, "1",
                ServerConfig.RATE_LIMIT_BURST, Integer.toString(BURST)));
        wire = new Wire(app);
        org = app.newOrg("free");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** Sends until refused; the answers in order, the refusal last. */
    private static List<Answer> untilRefused(String method, String path, String json, String key) {
        List<Answer> answers = new ArrayList<>();
        for (int i = 0; i < ATTEMPTS; i++) {
            Answer response = json == null ? wire.send(method, path, null, null, "X-API-Key", key)
                    : wire.json(method, path, json, "X-API-Key", key);
            answers.add(response);
            if (response.status() == 429) {
                return answers;
            }
        }
        throw new AssertionError("no 429 after " + ATTEMPTS + " requests with one key");
    }

    @Test
    void a_key_past_its_burst_is_answered_429_with_retry_after_and_the_rate_limit_headers() {
        List<Answer> answers = untilRefused("GET", "/v1/billing/credits", null, org.memberKey());
        Answer refused = answers.get(answers.size() - 1);
        List<Answer> allowed = answers.subList(0, answers.size() - 1);

        assertThat(allowed).hasSizeGreaterThanOrEqualTo(BURST).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("RateLimit-Limit")).isEqualTo(Integer.toString(BURST));
            assertThat(Long.parseLong(r.header("RateLimit-Remaining"))).isBetween(0L, (long) BURST - 1);
            assertThat(Long.parseLong(r.header("RateLimit-Reset"))).isBetween(1L, (long) BURST);
        });
        assertThat(allowed.get(0).header("RateLimit-Remaining")).isEqualTo(Integer.toString(BURST - 1));

        assertThat(errorProblems(refused, 429, "rate_limited", null)).isEmpty();
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 60L);
        assertThat(refused.header("RateLimit-Limit")).isEqualTo(Integer.toString(BURST));
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(refused.header("RateLimit-Reset"))).isBetween(1L, (long) BURST);
    }

    @Test
    void a_refused_write_changes_nothing() {
        TestOrg own = app.newOrg("free");
        // Each PUT asks for another threshold; the refused one's never lands.
        long last = -1;
        for (int i = 0; i < ATTEMPTS; i++) {
            Answer response = wire.json("PUT", "/v1/billing/auto-topup", "{\"thresholdCents\": " + (700 + i) + "}",
                    "X-API-Key", own.adminKey());
            if (response.status() == 429) {
                break;
            }
            assertThat(response.status()).isEqualTo(200);
            last = 700 + i;
        }
        assertThat(last).as("some PUTs were allowed before the refusal").isGreaterThanOrEqualTo(700 + BURST - 1);
        Answer settings = wire.send("GET", "/v1/billing/auto-topup", null, null, "X-API-Key", own.memberKey());
        assertThat(parse(settings.body()).path("data").path("thresholdCents").asLong()).isEqualTo(last);
    }

    @Test
    void another_key_internal_routes_and_routes_without_a_credential_are_not_limited() {
        TestOrg own = app.newOrg("free");
        untilRefused("GET", "/v1/billing/plan", null, own.adminKey());

        Answer otherKey = wire.send("GET", "/v1/billing/plan", null, null, "X-API-Key", own.memberKey());
        assertThat(otherKey.status()).isEqualTo(200);
        for (int i = 0; i < 3 * BURST; i++) {
            Answer internal = wire.json("POST", "/v1/internal/billing/credit-check",
                    "{\"orgId\": \"" + own.orgId() + "\"}", "X-Internal-Secret", TestApplication.INTERNAL_SECRET);
            assertThat(internal.status()).isEqualTo(200);
            assertThat(internal.header("RateLimit-Limit")).isNull();
            assertThat(wire.send("GET", "/health", null, null).status()).isEqualTo(200);
        }
    }

    @Test
    void a_limit_of_zero_turns_it_off() {
        try (TestApplication unlimited = new TestApplication(Map.of(ServerConfig.RATE_LIMIT_RPS, "0"))) {
            TestOrg own = unlimited.newOrg("free");
            for (int i = 0; i < 3 * BURST; i++) {
                Answer response = unlimited.get("/v1/billing/credits", "X-API-Key", own.memberKey());
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.header("RateLimit-Limit")).isNull();
            }
        }
    }
}
