package io.agentbilling.http.faults;

import io.agentbilling.http.json.Json;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.ServerEnvironment;
import io.agentbilling.http.support.TestClient;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Shorthands shared by the fault suites: the server's environment for a given database (so that several servers, or
 * a restarted one, share it), the client they call it with, creating an org over the internal API, and the body of a
 * model settlement whose price is known.
 */
public final class FaultServers {
    /** The fault suites' request timeout unless a call says otherwise. */
    static final Duration CALL = Duration.ofSeconds(10);

    private FaultServers() {
    }

    /** The tests' environment for this database, with a pool for the suites' concurrent load. */
    public static ServerEnvironment environment(DatabaseConfig database) {
        return ServerEnvironment.forDatabase(database).with(ServerConfig.DB_POOL_SIZE, "6");
    }

    public static BillingApplication start(DatabaseConfig database, Map<String, String> extra) {
        return environment(database).with(extra).start();
    }

    /**
     * The tests' client with the internal secret and {@link #CALL} as its timeout, naming no server: each call picks
     * one with {@code at(base)}, since these suites restart servers and run two at once. It never throws: a refused
     * connection or a timeout is an answer with status 0, recorded as an unknown outcome.
     */
    static TestClient client() {
        return TestClient.builder().internalSecret(ServerEnvironment.INTERNAL_SECRET).timeout(CALL)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    static String base(BillingApplication app) {
        return "http://127.0.0.1:" + app.port();
    }

    /** An org (no sign-up grant unless asked), one member, and (when asked for) an admin with an API key. */
    record Org(UUID orgId, UUID memberId, String adminKey) {}

    static Org createOrg(TestClient http, String plan, long signupGrantCents) {
        Answer org = http.internalPost("/v1/internal/orgs",
                json("name", "Fault org", "plan", plan, "signupGrantCents", signupGrantCents));
        UUID orgId = UUID.fromString(org.data().path("id").asText());
        Answer member = http.internalPost("/v1/internal/orgs/" + orgId + "/members", json("role", "member"));
        return new Org(orgId, UUID.fromString(member.data().path("id").asText()), null);
    }

    static Org createOrgWithAdmin(TestClient http, String plan, long signupGrantCents) {
        Org org = createOrg(http, plan, signupGrantCents);
        Answer admin = http.internalPost("/v1/internal/orgs/" + org.orgId() + "/members", json("role", "admin"));
        String adminId = admin.data().path("id").asText();
        Answer key = http.internalPost("/v1/internal/orgs/" + org.orgId() + "/api-keys",
                json("memberId", adminId, "name", "admin key"));
        return new Org(org.orgId(), org.memberId(), key.data().path("key").asText());
    }

    /** A generic debit of whole cents. */
    static String deduction(Org org, String key, long cents) {
        return json("orgId", org.orgId().toString(), "memberId", org.memberId().toString(), "amountCents", cents,
                "resource", "fault_test", "idempotencyKey", key);
    }

    /**
     * A gpt-5 call: 1 000 input tokens at 125 cents/M and 100 output tokens at 1 000 cents/M, so 0.225 cents
     * (225 000 micros) plus 1 000 micros per extra output token in {@code extraOutputTokens}.
     */
    static String modelUsage(Org org, String key, int extraOutputTokens) {
        return json("orgId", org.orgId().toString(), "memberId", org.memberId().toString(), "model", "gpt-5",
                "inputTokens", 1_000, "outputTokens", 100 + extraOutputTokens, "byok", false, "idempotencyKey", key);
    }

    static long modelUsageMicros(int extraOutputTokens) {
        return 225_000L + 1_000L * extraOutputTokens;
    }

    /**
     * Sends until the answer is not a 503: what a client does with {@code Retry-After}. A server that is starting, or
     * a machine that is busy, may miss the 1 s settlement timeout now and then; the retry with the same key is safe.
     */
    static Answer untilNot503(Supplier<Answer> send) {
        Answer answer = send.get();
        for (int attempt = 1; attempt < 30 && answer.status() == 503; attempt++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer;
            }
            answer = send.get();
        }
        return answer;
    }

    /** A JSON object from alternating names and values (written with Jackson, so strings are escaped). */
    static String json(Object... namesAndValues) {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            object.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return Json.write(object);
    }
}
