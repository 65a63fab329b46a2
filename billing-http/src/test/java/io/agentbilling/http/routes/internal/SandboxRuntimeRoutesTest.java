package io.agentbilling.http.routes.internal;

import static io.agentbilling.http.support.Envelopes.errorNaming;
import static io.agentbilling.http.support.Envelopes.assertFirstTime;
import static io.agentbilling.http.support.Envelopes.assertReplayed;
import static io.agentbilling.http.routes.internal.InternalApi.balance;
import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.support.Envelopes.fields;
import static io.agentbilling.http.routes.internal.InternalApi.key;
import static io.agentbilling.http.routes.internal.InternalApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.money.Credits;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A sandbox's runtime meter over real HTTP: start, heartbeat, settle, close. */
class SandboxRuntimeRoutesTest {
    private static final String BASE = "/v1/internal/billing/sandbox-runtime/";

    private static TestApplication app;

    @BeforeAll
    static void start() {
        app = new TestApplication();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Answer post(String sandbox, String action, String json, String... headers) {
        return app.internalPost(BASE + sandbox + "/" + action, json, headers);
    }

    private static String sandbox() {
        return "sb-" + UUID.randomUUID();
    }

    private static void assertMeter(JsonNode meter, String sandbox, TestOrg org, String status, long settled,
                                    long forgiven) {
        assertThat(meter.path("sandboxId").asText()).isEqualTo(sandbox);
        assertThat(meter.path("orgId").asText()).isEqualTo(org.orgId().toString());
        assertThat(meter.path("memberId").asText()).isEqualTo(org.member().id().toString());
        assertThat(meter.path("status").asText()).isEqualTo(status);
        assertThat(meter.path("settledSeconds").asLong()).isEqualTo(settled);
        assertThat(meter.path("forgivenSeconds").asLong()).isEqualTo(forgiven);
    }

    @Test
    void a_sandbox_runs_from_start_through_heartbeats_and_settlements_to_its_final_settlement() {
        TestOrg org = app.newOrg("free"); // 500 cents; small = 1400 micros per second
        app.backdate(org.orgId(), java.time.Duration.ofHours(1)); // the sandbox started before this test ran
        String sandbox = sandbox();
        Instant startedAt = Instant.now().minusSeconds(1200).truncatedTo(ChronoUnit.SECONDS); // room for 1065 s
        String startKey = key();
        String startBody = obj("orgId", org.orgId().toString(), "memberId", org.member().id().toString(),
                "size", "small", "startedAt", startedAt.toString(), "idempotencyKey", startKey);
        Answer started = post(sandbox, "start", startBody);
        assertFirstTime(started, 201);
        JsonNode meter = data(started, 201);
        assertThat(fields(meter)).containsExactly("sandboxId", "orgId", "memberId", "size", "status", "startedAt",
                "lastHeartbeatAt", "settledThrough", "settledSeconds", "forgivenSeconds", "replayed");
        assertMeter(meter, sandbox, org, "active", 0, 0);
        assertThat(meter.path("size").asText()).isEqualTo("small");
        assertThat(meter.path("startedAt").asText()).isEqualTo(startedAt.toString());
        assertThat(meter.path("lastHeartbeatAt").asText()).isEqualTo(startedAt.toString());
        assertThat(meter.path("settledThrough").asText()).isEqualTo(startedAt.toString());
        assertThat(meter.path("replayed").asBoolean()).isFalse();

        Answer again = post(sandbox, "start", startBody);
        assertReplayed(again);
        assertThat(data(again, 200).path("replayed").asBoolean()).isTrue();
        // the same start under another key replays the meter too; another payload conflicts
        assertReplayed(post(sandbox, "start", startBody.replace(startKey, key())));
        errorNaming(post(sandbox, "start", startBody.replace("small", "large").replace(startKey, key())), 409,
                "conflict");
        errorNaming(post(sandbox, "start", startBody.replace("small", "large")), 409, "idempotency_conflict");

        Instant seen = startedAt.plusSeconds(120);
        JsonNode alive = data(post(sandbox, "heartbeat", obj("at", seen.toString())), 200);
        assertMeter(alive, sandbox, org, "active", 0, 0);
        assertThat(alive.path("lastHeartbeatAt").asText()).isEqualTo(seen.toString());
        assertThat(alive.path("replayed").asBoolean()).isFalse();
        JsonNode older = data(post(sandbox, "heartbeat", obj("at", startedAt.plusSeconds(60).toString())), 200);
        assertThat(older.path("lastHeartbeatAt").asText()).isEqualTo(seen.toString());
        JsonNode now = data(app.send(HttpRequest.newBuilder(app.uri(BASE + sandbox + "/heartbeat"))
                .POST(HttpRequest.BodyPublishers.noBody()), "X-Internal-Secret", TestApplication.INTERNAL_SECRET),
                200);
        assertThat(Instant.parse(now.path("lastHeartbeatAt").asText())).isAfter(seen);

        String settleKey = key();
        String settleBody = obj("seconds", 60, "forgivenSeconds", 5, "final", false, "idempotencyKey", settleKey);
        Answer settled = post(sandbox, "settle", settleBody);
        assertFirstTime(settled, 200);
        JsonNode charge = data(settled, 200);
        assertThat(fields(charge)).containsExactly("sandboxId", "orgId", "memberId", "size", "status", "startedAt",
                "lastHeartbeatAt", "settledThrough", "settledSeconds", "forgivenSeconds", "chargedCents",
                "chargedMicros", "entryId", "balanceCents", "balanceMicros", "replayed");
        assertMeter(charge, sandbox, org, "active", 60, 5);
        assertThat(charge.path("settledThrough").asText()).isEqualTo(startedAt.plusSeconds(65).toString());
        assertThat(charge.path("chargedMicros").asLong()).isEqualTo(84_000);
        assertThat(charge.path("chargedCents").asLong()).isZero();
        assertThat(charge.path("entryId").asText()).isNotBlank();
        assertThat(charge.path("balanceMicros").asLong()).isEqualTo(500_000_000L - 84_000);
        assertThat(charge.path("balanceCents").asLong()).isEqualTo(499);
        assertThat(charge.path("replayed").asBoolean()).isFalse();

        Answer replay = post(sandbox, "settle", settleBody);
        assertReplayed(replay);
        assertThat(data(replay, 200).path("entryId").asText()).isEqualTo(charge.path("entryId").asText());
        assertThat(data(replay, 200).path("settledSeconds").asLong()).isEqualTo(60);
        errorNaming(post(sandbox, "settle", obj("seconds", 61, "final", false, "idempotencyKey", settleKey)), 409,
                "idempotency_conflict");

        JsonNode closed = data(post(sandbox, "settle", obj("seconds", 1000, "final", true),
                "Idempotency-Key", key()), 200);
        assertMeter(closed, sandbox, org, "settled", 1060, 5);
        assertThat(closed.path("chargedMicros").asLong()).isEqualTo(1_400_000);
        assertThat(closed.path("chargedCents").asLong()).isEqualTo(1);
        assertThat(balance(app, org.orgId())).isEqualTo(Credits.ofMicros(500_000_000L - 84_000 - 1_400_000));

        errorNaming(post(sandbox, "heartbeat", "{}"), 409, "conflict");
        errorNaming(post(sandbox, "settle", obj("seconds", 1, "final", true, "idempotencyKey", key())), 409,
                "conflict");
        assertReplayed(post(sandbox, "settle", settleBody));
    }

    @Test
    void a_start_needs_a_known_org_a_member_of_it_and_a_priced_size() {
        TestOrg org = app.newOrg("free");
        TestOrg other = app.newOrg("free");
        String orgId = org.orgId().toString();
        String member = org.member().id().toString();
        errorNaming(post(sandbox(), "start", obj("orgId", UUID.randomUUID().toString(), "memberId", member,
                "size", "small", "idempotencyKey", key())), 404, "not_found");
        errorNaming(post(sandbox(), "start", obj("orgId", orgId, "memberId", other.member().id().toString(),
                "size", "small", "idempotencyKey", key())), 422, "unprocessable");
        errorNaming(post(sandbox(), "start", obj("orgId", orgId, "memberId", member, "size", "galactic",
                "idempotencyKey", key())), 422, "unprocessable");
        errorNaming(post(sandbox(), "start", obj("orgId", orgId, "memberId", member, "size", "small")), 400,
                "bad_request", "idempotencyKey");
        errorNaming(post(sandbox(), "start", obj("orgId", orgId, "size", "small", "idempotencyKey", key())), 400,
                "bad_request", "memberId");
        errorNaming(post(sandbox(), "start", obj("orgId", orgId, "memberId", member, "size", "small",
                "startedAt", "2099-01-01T00:00:00Z", "idempotencyKey", key())), 422, "unprocessable", "startedAt");
        errorNaming(post(sandbox(), "start", obj("orgId", orgId, "memberId", member, "size", "small",
                "startedAt", "2026-11-27 10:00", "idempotencyKey", key())), 400, "bad_request", "startedAt");
        errorNaming(post("x".repeat(201), "start", obj("orgId", orgId, "memberId", member, "size", "small",
                "idempotencyKey", key())), 400, "bad_request", "sandboxId");
    }

    @Test
    void heartbeats_and_settlements_of_an_unknown_sandbox_are_404_and_bad_bodies_400() {
        String unknown = sandbox();
        errorNaming(post(unknown, "heartbeat", "{}"), 404, "not_found");
        errorNaming(post(unknown, "settle", obj("seconds", 1, "final", false, "idempotencyKey", key())), 404,
                "not_found");
        errorNaming(post(unknown, "heartbeat", obj("at", "now")), 400, "bad_request", "at");
        errorNaming(post(unknown, "heartbeat", obj("when", "2026-01-01T00:00:00Z")), 400, "bad_request", "when");
        errorNaming(post(unknown, "settle", obj("seconds", 1, "idempotencyKey", key())), 400, "bad_request", "final");
        errorNaming(post(unknown, "settle", obj("seconds", -1, "final", false, "idempotencyKey", key())), 400,
                "bad_request", "seconds");
        errorNaming(post(unknown, "settle", obj("seconds", 1, "forgivenSeconds", -1, "final", false,
                "idempotencyKey", key())), 400, "bad_request", "forgivenSeconds");
        errorNaming(post(unknown, "settle", obj("seconds", 0, "final", false, "idempotencyKey", key())), 400,
                "bad_request", "seconds");
        errorNaming(post(unknown, "settle", obj("seconds", 1, "final", "yes", "idempotencyKey", key())), 400,
                "bad_request", "final");
        errorNaming(post(unknown, "settle", obj("seconds", 1, "final", false)), 400, "bad_request",
                "idempotencyKey");
    }
}
