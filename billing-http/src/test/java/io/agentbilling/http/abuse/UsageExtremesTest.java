package io.agentbilling.http.abuse;

import static io.agentbilling.http.support.Envelopes.errorProblems;
import static io.agentbilling.http.support.Envelopes.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.support.LogCapture;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Usage at the extremes, each case a reproduction of a way usage was once dropped or a report broken, against the
 * real server and PostgreSQL: counts at and past 64 bits in one cell and over days, reports after them (200 and exact),
 * batches holding a bad event among good ones (each answered on its own, the good ones settled), timestamps the
 * database could not hold or the report would not show (422 naming the field, nothing charged), sandbox seconds that
 * have not elapsed, and retries that spell out defaults. Nothing may be answered 500 or "rejected by the database".
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UsageExtremesTest {
    private static final String BATCH = "/v1/internal/billing/usage-events:batch";
    private static final String STORAGE = "/v1/internal/billing/storage/usage";
    private static final String MODEL = "/v1/internal/billing/model-usage";
    private static final String DEDUCTIONS = "/v1/internal/billing/deductions";
    private static final String SANDBOXES = "/v1/internal/billing/sandbox-runtime/";
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final List<String> PERIODS = List.of("current", "7d", "30d", "all_time");

    private static TestApplication app;
    private static Wire wire;
    private static LogCapture log;

    @BeforeAll
    static void start() {
        log = new LogCapture();
        app = new TestApplication();
        wire = new Wire(app);
    }

    @AfterAll
    static void stop() {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            log.close();
        }
    }

    // ---- helpers ----

    /** An org two days old, so that usage of yesterday may be reported for it. */
    private static TestOrg org() {
        TestOrg org = app.newOrg("free");
        app.backdate(org.orgId(), Duration.ofDays(2));
        return org;
    }

    private static Answer internal(String path, Object body) {
        return wire.json("POST", path, body instanceof String s ? s : Json.write(body), "X-Internal-Secret",
                TestApplication.INTERNAL_SECRET);
    }

    private static Map<String, Object> event(String type, Object... fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        for (int i = 0; i < fields.length; i += 2) {
            event.put((String) fields[i], fields[i + 1]);
        }
        return event;
    }

    private static Map<String, Object> body(Object... fields) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return body;
    }

    private static JsonNode batch(List<Map<String, Object>> events) {
        Answer response = internal(BATCH, Map.of("events", events));
        assertThat(response.status()).as(Wire.describe(response)).isEqualTo(200);
        return parse(response.body()).path("data");
    }

    private static Map<String, Object> storage(TestOrg org, String workspace, long byteSeconds, Instant from) {
        return event("storage", "orgId", org.orgId().toString(), "workspaceId", workspace, "byteSeconds", byteSeconds,
                "from", from.toString(), "to", from.plusSeconds(60).toString(), "idempotencyKey", key());
    }

    private static Map<String, Object> deduction(TestOrg org) {
        return event("deduction", "orgId", org.orgId().toString(), "amountCents", 1, "resource", "voice",
                "idempotencyKey", key());
    }

    private static String key() {
        return "x-" + UUID.randomUUID();
    }

    /** The org's totals row for every period, each answered 200. */
    private static Map<String, JsonNode> totals(TestOrg org) {
        Map<String, JsonNode> rows = new LinkedHashMap<>();
        for (String period : PERIODS) {
            Answer report = wire.send("GET", "/v1/billing/my-usage?all=true&period=" + period, null, null,
                    "X-API-Key", org.adminKey());
            assertThat(report.status()).as(period + ": " + Wire.describe(report)).isEqualTo(200);
            rows.put(period, parse(report.body()).path("data").path("totals"));
        }
        return rows;
    }

    private static JsonNode credits(TestOrg org) {
        Answer credits = wire.send("GET", "/v1/billing/credits", null, null, "X-API-Key", org.adminKey());
        assertThat(credits.status()).isEqualTo(200);
        return parse(credits.body()).path("data");
    }

    private static Instant todayNoon() {
        Instant now = Instant.now();
        Instant midnight = now.truncatedTo(ChronoUnit.DAYS);
        // Earlier today, and not in the future: reported in today's cell.
        return now.minusSeconds(120).isBefore(midnight) ? midnight : now.minusSeconds(120);
    }

    // ---- the report at 64 bits and beyond ----

    @Test
    void storage_past_64_bits_in_one_day_is_settled_and_reported_exactly_for_every_period() {
        TestOrg org = org();
        Instant at = todayNoon();
        JsonNode items = batch(List.of(storage(org, "a", Long.MAX_VALUE, at), storage(org, "b", 3_000_000_000L, at)));
        assertThat(items.findValuesAsText("status")).containsOnly("200");
        // The cell keeps adding once past 2^63: it is not dead for the rest of the day.
        JsonNode more = batch(List.of(storage(org, "a", Long.MAX_VALUE, at), storage(org, "a", 1, at)));
        assertThat(more.findValuesAsText("status")).containsOnly("200");

        BigInteger expected = LONG_MAX.multiply(BigInteger.TWO).add(BigInteger.valueOf(3_000_000_001L));
        totals(org).forEach((period, row) -> { // today is in every period
            assertThat(row.path("storageUsage").path("byteSeconds").isIntegralNumber()).isTrue();
            assertThat(row.path("storageUsage").path("byteSeconds").bigIntegerValue()).as(period).isEqualTo(expected);
        });
    }

    @Test
    void storage_at_the_64_bit_bound_on_two_days_adds_up_in_the_reports_of_both() {
        TestOrg org = org();
        Instant yesterday = Instant.now().minus(1, ChronoUnit.DAYS);
        JsonNode items = batch(List.of(storage(org, "a", Long.MAX_VALUE, yesterday),
                storage(org, "a", Long.MAX_VALUE, todayNoon())));
        assertThat(items.findValuesAsText("status")).containsOnly("200");
        Map<String, JsonNode> rows = totals(org);
        for (String period : List.of("7d", "30d", "all_time")) {
            assertThat(rows.get(period).path("storageUsage").path("byteSeconds").bigIntegerValue()).as(period)
                    .isEqualTo(LONG_MAX.multiply(BigInteger.TWO));
        }
    }

    @Test
    void ten_thousand_resource_events_at_the_quantity_bound_are_reported_exactly() {
        TestOrg org = org();
        long bound = 1_000_000_000_000_000L;
        for (int b = 0; b < 10; b++) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                String member = (i % 2 == 0 ? org.member() : org.admin()).id().toString();
                events.add(event("resource", "orgId", org.orgId().toString(), "memberId", member, "resource",
                        "code_exec", "quantity", bound, "unit", "seconds", "amountCents", 0,
                        "idempotencyKey", key()));
            }
            assertThat(batch(events).findValuesAsText("status")).containsOnly("200");
        }
        BigInteger expected = BigInteger.valueOf(bound).multiply(BigInteger.valueOf(10_000));
        for (String period : List.of("7d", "30d", "all_time")) {
            JsonNode charges = totals(org).get(period).path("resourceCharges");
            assertThat(charges).hasSize(1);
            assertThat(charges.get(0).path("quantity").bigIntegerValue()).as(period).isEqualTo(expected);
        }
    }

    // ---- one bad event does not sink a batch ----

    @Test
    void an_event_with_a_time_the_database_cannot_hold_is_refused_alone_and_the_others_settle() {
        TestOrg org = org();
        JsonNode items = batch(List.of(deduction(org),
                event("model", "orgId", org.orgId().toString(), "memberId", org.member().id().toString(),
                        "model", "gpt-5", "inputTokens", 10, "outputTokens", 10, "byok", false,
                        "occurredAt", "0000-06-01T00:00:00Z", "idempotencyKey", key()),
                event("tool", "orgId", org.orgId().toString(), "memberId", org.member().id().toString(),
                        "tool", "web_search", "idempotencyKey", key())));
        assertThat(items.findValuesAsText("status")).containsExactly("200", "422", "200");
        assertThat(items.get(1).path("error").path("code").asText()).isEqualTo("unprocessable");
        assertThat(items.get(1).path("error").path("details").findValuesAsText("field")).containsExactly("occurredAt");
        assertThat(credits(org).path("totalUsedMicros").asLong()).isEqualTo(1_000_000 + 1_000_000);
    }

    @Test
    void storage_at_the_bound_twice_in_one_cell_with_deductions_between_settles_every_event() {
        TestOrg org = org();
        Instant at = todayNoon();
        JsonNode items = batch(List.of(storage(org, "w", Long.MAX_VALUE, at), deduction(org),
                storage(org, "w", 1_000_000_000_000L, at), deduction(org)));
        assertThat(items.findValuesAsText("status")).containsOnly("200");
        assertThat(totals(org).get("all_time").path("storageUsage").path("byteSeconds").bigIntegerValue())
                .isEqualTo(LONG_MAX.add(BigInteger.valueOf(1_000_000_000_000L)));
    }

    @Test
    void an_event_the_ledger_cannot_take_fails_its_transaction_but_only_itself() {
        // An org whose used total is 9.2 × 10^18 micros, 2.3 × 10^16 below what the ledger's 64 bits hold.
        TestOrg org = org();
        String o = org.orgId().toString();
        for (int i = 0; i < 92; i++) {
            Answer adjusted = internal("/v1/internal/orgs/" + o + "/adjustments", body("amountCents",
                    -100_000_000_000L, "reason", "usage billed elsewhere", "idempotencyKey", key()));
            assertThat(adjusted.status()).as(Wire.describe(adjusted)).isEqualTo(201);
        }
        TestOrg other = org();
        // One batch, one transaction: the first deduction would take the totals past 64 bits, which only the
        // posting itself finds out; the settlement is split until that one is alone, and everything else commits.
        JsonNode items = batch(List.of(
                event("deduction", "orgId", o, "amountCents", 100_000_000_000L, "resource", "voice",
                        "idempotencyKey", key()),
                event("deduction", "orgId", o, "amountCents", 1, "resource", "voice", "idempotencyKey", key()),
                event("tool", "orgId", other.orgId().toString(), "memberId", other.member().id().toString(),
                        "tool", "web_search", "idempotencyKey", key()),
                deduction(other)));
        assertThat(items.findValuesAsText("status")).containsExactly("422", "200", "200", "200");
        assertThat(items.get(0).path("error").path("code").asText()).isEqualTo("unprocessable");
        assertThat(credits(org).path("totalUsedMicros").asLong()).isEqualTo(92 * 100_000_000_000_000_000L + 1_000_000);
        assertThat(credits(other).path("totalUsedMicros").asLong()).isEqualTo(2_000_000);
        totals(org).values().forEach(row -> assertThat(row.path("totalCostCents").isIntegralNumber()).isTrue());
    }

    // ---- times the report would not show, or the database could not keep ----

    @Test
    void year_0000_is_refused_naming_the_field_wherever_usage_names_a_time() {
        TestOrg org = org();
        String o = org.orgId().toString();
        String m = org.member().id().toString();
        assertRefused(internal(MODEL, body("orgId", o, "memberId", m, "model", "gpt-5", "inputTokens", 1,
                "outputTokens", 1, "byok", false, "occurredAt", "0000-06-01T00:00:00Z", "idempotencyKey", key())),
                "occurredAt");
        assertRefused(internal(STORAGE, body("orgId", o, "workspaceId", "w", "byteSeconds", 1,
                "from", "0000-06-01T00:00:00Z", "to", Instant.now().toString(), "idempotencyKey", key())), "from");
        assertRefused(internal(SANDBOXES + "sb-" + UUID.randomUUID() + "/start", body("orgId", o, "memberId", m,
                "size", "small", "startedAt", "0000-06-01T00:00:00Z", "idempotencyKey", key())), "startedAt");
        assertThat(credits(org).path("totalUsedMicros").asLong()).isZero();
    }

    @Test
    void usage_before_the_org_existed_is_refused_so_that_everything_charged_is_reported() {
        TestOrg org = app.newOrg("free"); // created now
        String o = org.orgId().toString();
        String m = org.member().id().toString();
        assertRefused(internal(MODEL, body("orgId", o, "memberId", m, "model", "gpt-5", "inputTokens", 1000,
                "outputTokens", 1000, "byok", false, "occurredAt", "1970-01-01T00:00:00Z", "idempotencyKey", key())),
                "occurredAt");
        assertRefused(internal(MODEL, body("orgId", o, "memberId", m, "model", "gpt-5", "inputTokens", 1000,
                "outputTokens", 1000, "byok", false, "occurredAt", Instant.now().minus(1, ChronoUnit.HOURS).toString(),
                "idempotencyKey", key())), "occurredAt");
        assertThat(credits(org).path("totalUsedMicros").asLong()).isZero();

        // What is accepted is charged and reported: the report's total is the ledger's used total (2 ¢ exactly:
        // 8 000 input tokens at 125 ¢ and 1 000 output tokens at 1 000 ¢ a million).
        assertThat(internal(MODEL, body("orgId", o, "memberId", m, "model", "gpt-5", "inputTokens", 8000,
                "outputTokens", 1000, "byok", false, "idempotencyKey", key())).status()).isEqualTo(200);
        assertThat(totals(org).get("all_time").path("totalCostCents").asLong() * 1_000_000)
                .isEqualTo(credits(org).path("totalUsedMicros").asLong()).isEqualTo(2_000_000);
    }

    @Test
    void seconds_that_have_not_elapsed_cannot_be_settled_on_a_sandbox() {
        TestOrg org = org();
        String sandbox = SANDBOXES + "sb-" + UUID.randomUUID();
        assertThat(internal(sandbox + "/start", body("orgId", org.orgId().toString(), "memberId",
                org.member().id().toString(), "size", "small", "idempotencyKey", key())).status()).isEqualTo(201);
        for (int i = 0; i < 2; i++) {
            assertRefused(internal(sandbox + "/settle", body("seconds", 31_622_400, "final", false,
                    "idempotencyKey", key())), "seconds");
        }
        assertThat(credits(org).path("totalUsedMicros").asLong()).isZero();
        assertThat(internal(sandbox + "/settle", body("seconds", 1, "final", true, "idempotencyKey", key()))
                .status()).isEqualTo(200);
    }

    // ---- retries that spell out defaults ----

    @Test
    void a_retry_that_spells_out_a_default_is_a_replay_not_a_conflict() {
        TestOrg org = org();
        String o = org.orgId().toString();
        String k = key();
        assertThat(internal(DEDUCTIONS, body("orgId", o, "amountMicros", 3_000_000, "resource", "voice",
                "idempotencyKey", k)).status()).isEqualTo(200);
        for (Map<String, Object> spelled : List.of(
                body("orgId", o, "amountCents", 3, "resource", "voice", "idempotencyKey", k),
                body("orgId", o, "amountCents", 3, "resource", "voice", "referenceId", "", "idempotencyKey", k),
                body("orgId", o, "amountCents", 3, "resource", "voice", "description", "voice", "idempotencyKey", k))) {
            Answer replay = internal(DEDUCTIONS, spelled);
            assertThat(replay.status()).as(Wire.describe(replay)).isEqualTo(200);
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        }
        Answer conflict = internal(DEDUCTIONS, body("orgId", o, "amountCents", 3, "resource", "voice",
                "description", "another", "idempotencyKey", k));
        assertThat(errorProblems(conflict, 409, "idempotency_conflict", null)).isEmpty();
    }

    // ---- and none of it was ever a 500 ----

    @Test
    @Order(Integer.MAX_VALUE)
    void nothing_was_answered_500_or_refused_by_the_database() {
        List<String> internalErrors = log.events().stream()
                .filter(e -> e.getFormattedMessage().contains(" internal error on "))
                .map(e -> e.getFormattedMessage()).toList();
        assertThat(internalErrors).as("requests or batch events answered 500").isEmpty();
        assertThat(wire.answers()).noneMatch(answer -> answer.contains("rejected by the database")
                || answer.contains("internal_error"));
    }

    private static void assertRefused(Answer response, String field) {
        assertThat(errorProblems(response, 422, "unprocessable", field)).as(Wire.describe(response)).isEmpty();
    }
}
