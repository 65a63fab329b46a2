package io.agentbilling.http.routes.internal;

import static io.agentbilling.http.support.Envelopes.errorNaming;
import static io.agentbilling.http.routes.internal.InternalApi.balance;
import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.support.Envelopes.fields;
import static io.agentbilling.http.routes.internal.InternalApi.key;
import static io.agentbilling.http.routes.internal.InternalApi.obj;
import static io.agentbilling.http.routes.internal.InternalApi.raw;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/internal/billing/usage-events:batch} over real HTTP: one result per event, in order. */
class UsageBatchRouteTest {
    private static final String BATCH = "/v1/internal/billing/usage-events:batch";

    private static TestApplication app;

    @BeforeAll
    static void start() {
        app = new TestApplication();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String batch(List<String> events) {
        return "{\"events\":[" + String.join(",", events) + "]}";
    }

    private static Answer post(String body, String... headers) {
        return app.internalPost(BATCH, body, headers);
    }

    private static void assertSettled(JsonNode item, int index, long chargedMicros, boolean replayed) {
        assertThat(item.path("index").asInt()).isEqualTo(index);
        assertThat(item.path("status").asInt()).as(item.toString()).isEqualTo(200);
        assertThat(item.path("error").isNull()).isTrue();
        assertThat(fields(item.path("result"))).containsExactly("chargedCents", "chargedMicros", "entryId",
                "balanceCents", "balanceMicros", "replayed");
        assertThat(item.path("result").path("chargedMicros").asLong()).isEqualTo(chargedMicros);
        assertThat(item.path("result").path("replayed").asBoolean()).isEqualTo(replayed);
    }

    private static void assertRefused(JsonNode item, int index, int status, String code, String... fields) {
        assertThat(item.path("index").asInt()).isEqualTo(index);
        assertThat(item.path("status").asInt()).as(item.toString()).isEqualTo(status);
        assertThat(item.path("result").isNull()).isTrue();
        JsonNode error = item.path("error");
        assertThat(error.path("code").asText()).as(item.toString()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        List<String> named = new ArrayList<>();
        error.path("details").forEach(d -> named.add(d.path("field").asText()));
        assertThat(named).as(item.toString()).containsExactlyInAnyOrder(fields);
    }

    @Test
    void a_mixed_batch_settles_the_good_events_and_refuses_each_bad_one_on_its_own() {
        TestOrg org = app.newOrg("free");
        app.backdate(org.orgId(), java.time.Duration.ofDays(31)); // its storage event covers the last 30 days
        TestOrg other = app.newOrg("free");
        String orgId = org.orgId().toString();
        String member = org.member().id().toString();
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String duplicateKey = key();
        List<String> events = List.of(
                /* 0 */ obj("type", "model", "orgId", orgId, "memberId", member, "model", "gpt-5",
                        "inputTokens", 1000, "outputTokens", 500, "byok", false, "idempotencyKey", key()),
                /* 1 */ obj("type", "tool", "orgId", orgId, "memberId", member, "tool", "web_search",
                        "idempotencyKey", duplicateKey),
                /* 2 */ obj("type", "storage", "orgId", orgId, "workspaceId", "ws-1",
                        "byteSeconds", PriceCatalog.BYTES_PER_GIB * PriceCatalog.SECONDS_PER_MONTH,
                        "from", to.minus(30, ChronoUnit.DAYS).toString(), "to", to.toString(),
                        "idempotencyKey", key()),
                /* 3 */ obj("type", "resource", "orgId", orgId, "resource", "code_exec", "quantity", 10,
                        "unit", "seconds", "idempotencyKey", key()),
                /* 4 */ obj("type", "deduction", "orgId", orgId, "amountMicros", 7, "resource", "voice",
                        "idempotencyKey", key()),
                /* 5 */ "42",
                /* 6 */ obj("type", "teleport", "orgId", orgId),
                /* 7 */ obj("orgId", orgId, "tool", "x"),
                /* 8 */ obj("type", "model", "orgId", orgId, "memberId", member, "model", "gpt-5",
                        "inputTokens", "12", "outputTokens", 1, "byok", false, "idempotencyKey", key()),
                /* 9 */ obj("type", "tool", "orgId", UUID.randomUUID().toString(), "memberId", member,
                        "tool", "x", "idempotencyKey", key()),
                /* 10 */ obj("type", "tool", "orgId", orgId, "memberId", other.member().id().toString(),
                        "tool", "x", "idempotencyKey", key()),
                /* 11 */ obj("type", "model", "orgId", orgId, "memberId", member, "model", "gpt-99",
                        "inputTokens", 1, "outputTokens", 1, "byok", false, "idempotencyKey", key()),
                /* 12 */ obj("type", "tool", "orgId", orgId, "memberId", member, "tool", "web_search",
                        "idempotencyKey", duplicateKey),
                /* 13 */ obj("type", "tool", "orgId", orgId, "memberId", member, "tool", "browser",
                        "idempotencyKey", duplicateKey),
                /* 14 */ obj("type", "tool", "orgId", orgId, "memberId", member, "tool", "x",
                        "idempotencyKey", key(), "colour", "blue"),
                /* 15 */ obj("type", "deduction", "orgId", orgId, "amountCents", 1, "amountMicros", 1,
                        "resource", "voice", "idempotencyKey", key()),
                /* 16 */ obj("type", "tool", "orgId", orgId, "memberId", member, "tool", "x"),
                /* 17 */ "null",
                /* 18 */ obj("type", raw("1"), "orgId", orgId));
        Answer response = post(batch(events));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("meta").path("hasMore").asBoolean()).isFalse();
        JsonNode items = data(response, 200);
        assertThat(items.size()).isEqualTo(events.size());
        for (int i = 0; i < items.size(); i++) {
            assertThat(fields(items.get(i))).containsExactly("index", "status", "result", "error");
        }
        assertSettled(items.get(0), 0, 625_000, false);
        assertSettled(items.get(1), 1, 1_000_000, false);
        assertSettled(items.get(2), 2, 10_000_000, false);
        assertSettled(items.get(3), 3, 20_000, false);
        assertSettled(items.get(4), 4, 7, false);
        assertRefused(items.get(5), 5, 400, "bad_request", "event");
        assertRefused(items.get(6), 6, 400, "bad_request", "type");
        assertRefused(items.get(7), 7, 400, "bad_request", "type");
        assertRefused(items.get(8), 8, 400, "bad_request", "inputTokens");
        assertRefused(items.get(9), 9, 404, "not_found");
        assertRefused(items.get(10), 10, 422, "unprocessable");
        assertRefused(items.get(11), 11, 422, "unknown_model");
        assertSettled(items.get(12), 12, 1_000_000, true);
        assertRefused(items.get(13), 13, 409, "idempotency_conflict");
        assertRefused(items.get(14), 14, 400, "bad_request", "colour");
        assertRefused(items.get(15), 15, 400, "bad_request", "amountCents", "amountMicros");
        assertRefused(items.get(16), 16, 400, "bad_request", "idempotencyKey");
        assertRefused(items.get(17), 17, 400, "bad_request", "event");
        assertRefused(items.get(18), 18, 400, "bad_request", "type");
        assertThat(items.get(0).path("result").path("entryId").asText()).isNotBlank();
        assertThat(items.get(12).path("result").path("entryId").asText())
                .isEqualTo(items.get(1).path("result").path("entryId").asText());

        long spent = 625_000 + 1_000_000 + 10_000_000 + 20_000 + 7;
        assertThat(balance(app, org.orgId())).isEqualTo(Credits.ofMicros(500_000_000L - spent));
        assertThat(balance(app, other.orgId())).isEqualTo(Credits.ofCents(500));

        // The whole batch again: every settled event replays, nothing is charged twice.
        JsonNode again = data(post(batch(events)), 200);
        for (int i : new int[] {0, 1, 2, 3, 4, 12}) {
            assertThat(again.get(i).path("status").asInt()).isEqualTo(200);
            assertThat(again.get(i).path("result").path("replayed").asBoolean()).isTrue();
            assertThat(again.get(i).path("result").path("entryId").asText())
                    .isEqualTo(items.get(i).path("result").path("entryId").asText());
        }
        assertThat(balance(app, org.orgId())).isEqualTo(Credits.ofMicros(500_000_000L - spent));
    }

    @Test
    void a_batch_of_a_thousand_events_settles_in_one_call() {
        TestOrg org = app.newOrg("free");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            events.add(obj("type", "deduction", "orgId", org.orgId().toString(), "amountMicros", 1000,
                    "resource", "r", "idempotencyKey", "bulk-" + i));
        }
        JsonNode items = data(post(batch(events)), 200);
        assertThat(items.size()).isEqualTo(1000);
        items.forEach(item -> assertThat(item.path("status").asInt()).isEqualTo(200));
        assertThat(items.get(999).path("index").asInt()).isEqualTo(999);
        assertThat(balance(app, org.orgId())).isEqualTo(Credits.ofMicros(500_000_000L - 1_000_000L));
    }

    @Test
    void the_request_itself_is_400_only_when_it_is_not_an_events_array_of_1_to_1000() {
        TestOrg org = app.newOrg("free");
        String event = obj("type", "deduction", "orgId", org.orgId().toString(), "amountMicros", 1,
                "resource", "r", "idempotencyKey", key());
        errorNaming(post("{\"events\":[]}"), 400, "bad_request", "events");
        errorNaming(post("{}"), 400, "bad_request", "events");
        errorNaming(post("{\"events\":null}"), 400, "bad_request", "events");
        errorNaming(post("{\"events\":" + event + "}"), 400, "bad_request", "events");
        errorNaming(post("[" + event + "]"), 400, "bad_request", "body");
        errorNaming(post("{\"events\":[" + event + "],\"dryRun\":true}"), 400, "bad_request", "dryRun");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add("{}");
        }
        errorNaming(post(batch(tooMany)), 400, "bad_request", "events");
        errorNaming(post(batch(List.of(event)), "Idempotency-Key", key()), 400, "bad_request", "Idempotency-Key");
        errorNaming(app.internalPost("/v1/internal/billing/usage-events", batch(List.of(event))), 404, "not_found");
        assertThat(balance(app, org.orgId())).isEqualTo(Credits.ofCents(500));
    }
}
