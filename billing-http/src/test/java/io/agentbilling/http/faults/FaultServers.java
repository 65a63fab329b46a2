package io.agentbilling.http.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Shorthands shared by the fault suites: the server's environment for a given database (so that several servers, or
 * a restarted one, share it), starting the real server in-process, creating an org over the internal API, and the
 * body of a model settlement whose price is known.
 */
public final class FaultServers {
    public static final String SECRET = "fault-suite-internal-secret-0123456789";
    static final Duration CALL = Duration.ofSeconds(10);

    private FaultServers() {
    }

    /** The environment {@code main} would get: this database, port 0 on loopback, the suite's internal secret. */
    public static Map<String, String> environment(DatabaseConfig database, Map<String, String> extra) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("billing-faults");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> env = new HashMap<>();
        env.put(ServerConfig.PORT, "0");
        env.put(ServerConfig.HOST, "127.0.0.1");
        env.put(ServerConfig.DATABASE_URL, database.jdbcUrl());
        env.put(ServerConfig.DATABASE_USER, database.user());
        env.put(ServerConfig.DATABASE_PASSWORD, database.password());
        env.put(ServerConfig.DATA_DIR, dataDir.toString());
        env.put(ServerConfig.DB_POOL_SIZE, "6");
        env.put(ServerConfig.INTERNAL_SECRET, SECRET);
        env.put(ServerConfig.PUBLIC_URL, "http://localhost:8080");
        env.put(ServerConfig.RATE_LIMIT_RPS, "0"); // load from few keys; the limit is not what these suites test
        env.putAll(extra);
        return env;
    }

    public static BillingApplication start(DatabaseConfig database, Map<String, String> extra) {
        return BillingApplication.start(ServerConfig.fromEnvironment(environment(database, extra)));
    }

    static String base(BillingApplication app) {
        return "http://127.0.0.1:" + app.port();
    }

    /** An org (no sign-up grant unless asked), one member, and (when asked for) an admin with an API key. */
    record Org(UUID orgId, UUID memberId, String adminKey) {}

    static Org createOrg(Http http, String base, String plan, long signupGrantCents) {
        Http.Answer org = http.internalPost(base, "/v1/internal/orgs",
                json("name", "Fault org", "plan", plan, "signupGrantCents", signupGrantCents), CALL);
        UUID orgId = UUID.fromString(org.data().path("id").asText());
        Http.Answer member = http.internalPost(base, "/v1/internal/orgs/" + orgId + "/members",
                json("role", "member"), CALL);
        return new Org(orgId, UUID.fromString(member.data().path("id").asText()), null);
    }

    static Org createOrgWithAdmin(Http http, String base, String plan, long signupGrantCents) {
        Org org = createOrg(http, base, plan, signupGrantCents);
        Http.Answer admin = http.internalPost(base, "/v1/internal/orgs/" + org.orgId() + "/members",
                json("role", "admin"), CALL);
        String adminId = admin.data().path("id").asText();
        Http.Answer key = http.internalPost(base, "/v1/internal/orgs/" + org.orgId() + "/api-keys",
                json("memberId", adminId, "name", "admin key"), CALL);
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
    static Http.Answer untilNot503(java.util.function.Supplier<Http.Answer> send) {
        Http.Answer answer = send.get();
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

    static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
