package io.agentbilling.http.routes.internal;

import static io.agentbilling.http.support.Envelopes.errorNaming;
import static io.agentbilling.http.support.Envelopes.assertFirstTime;
import static io.agentbilling.http.support.Envelopes.assertReplayed;
import static io.agentbilling.http.routes.internal.InternalApi.balance;
import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.support.Envelopes.fields;
import static io.agentbilling.http.routes.internal.InternalApi.key;
import static io.agentbilling.http.routes.internal.InternalApi.obj;
import static io.agentbilling.http.routes.internal.InternalApi.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The single settlement routes of {@code /v1/internal/billing/…} over real HTTP, on PostgreSQL. */
class SettlementRoutesTest {
    private static final String DEDUCTIONS = "/v1/internal/billing/deductions";
    private static final String MODEL = "/v1/internal/billing/model-usage";
    private static final String TOOLS = "/v1/internal/billing/tool-executions";
    private static final String STORAGE = "/v1/internal/billing/storage/usage";
    private static final String RESOURCES = "/v1/internal/billing/resource-charges";
    private static final long GIB_MONTH_BYTE_SECONDS = PriceCatalog.BYTES_PER_GIB * PriceCatalog.SECONDS_PER_MONTH;

    private static TestApplication app;

    @BeforeAll
    static void start() {
        app = new TestApplication();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Answer post(String path, String json, String... headers) {
        return app.internalPost(path, json, headers);
    }

    private static void assertCharge(JsonNode charge, long cents, long micros, long balanceMicros) {
        assertThat(fields(charge)).containsExactly("chargedCents", "chargedMicros", "entryId", "balanceCents",
                "balanceMicros", "replayed");
        assertThat(charge.path("chargedCents").asLong()).isEqualTo(cents);
        assertThat(charge.path("chargedMicros").asLong()).isEqualTo(micros);
        assertThat(charge.path("balanceMicros").asLong()).isEqualTo(balanceMicros);
        assertThat(charge.path("balanceCents").asLong()).isEqualTo(Math.floorDiv(balanceMicros, 1_000_000L));
    }

    // ---- deductions ----

    @Test
    void a_deduction_answers_with_its_ledger_entry_and_the_charge() {
        TestOrg org = app.newOrg("free");
        String key = key();
        String body = obj("orgId", org.orgId().toString(), "memberId", org.member().id().toString(),
                "amountCents", 250, "resource", "voice", "description", "voice minutes", "referenceId", "call-9",
                "idempotencyKey", key);
        Answer response = post(DEDUCTIONS, body);
        assertFirstTime(response, 200);
        JsonNode entry = data(response, 200);
        assertThat(fields(entry)).containsExactly("id", "orgId", "memberId", "type", "amountCents", "amountMicros",
                "resource", "description", "referenceId", "balanceAfterCents", "balanceAfterMicros", "createdAt",
                "chargedCents", "chargedMicros", "balanceCents", "balanceMicros", "replayed");
        assertThat(UUID.fromString(entry.path("id").asText())).isNotNull();
        assertThat(entry.path("orgId").asText()).isEqualTo(org.orgId().toString());
        assertThat(entry.path("memberId").asText()).isEqualTo(org.member().id().toString());
        assertThat(entry.path("type").asText()).isEqualTo("usage");
        assertThat(entry.path("amountCents").asLong()).isEqualTo(-250);
        assertThat(entry.path("amountMicros").asLong()).isEqualTo(-250_000_000L);
        assertThat(entry.path("resource").asText()).isEqualTo("voice");
        assertThat(entry.path("description").asText()).isEqualTo("voice minutes");
        assertThat(entry.path("referenceId").asText()).isEqualTo("call-9");
        assertThat(entry.path("balanceAfterCents").asLong()).isEqualTo(250);
        assertThat(entry.path("balanceAfterMicros").asLong()).isEqualTo(250_000_000L);
        assertThat(Instant.parse(entry.path("createdAt").asText())).isCloseTo(Instant.now(), within(1, ChronoUnit.MINUTES));
        assertThat(entry.path("chargedCents").asLong()).isEqualTo(250);
        assertThat(entry.path("chargedMicros").asLong()).isEqualTo(250_000_000L);
        assertThat(entry.path("balanceCents").asLong()).isEqualTo(250);
        assertThat(entry.path("balanceMicros").asLong()).isEqualTo(250_000_000L);
        assertThat(entry.path("replayed").asBoolean()).isFalse();

        Answer replay = post(DEDUCTIONS, body);
        assertReplayed(replay);
        JsonNode again = data(replay, 200);
        assertThat(again.path("id").asText()).isEqualTo(entry.path("id").asText());
        assertThat(again.path("createdAt").asText()).isEqualTo(entry.path("createdAt").asText());
        assertThat(again.path("replayed").asBoolean()).isTrue();
        errorNaming(post(DEDUCTIONS, body.replace("\"amountCents\":250", "\"amountCents\":251")), 409,
                "idempotency_conflict");
        assertThat(balance(app, org.orgId())).isEqualTo(Credits.ofCents(250));
    }

    @Test
    void a_deduction_in_micros_is_exact_and_the_balance_rounds_down() {
        TestOrg org = app.newOrg("free");
        JsonNode entry = data(post(DEDUCTIONS, obj("orgId", org.orgId().toString(), "amountMicros", 1,
                "resource", "voice"), "Idempotency-Key", key()), 200);
        assertThat(entry.path("memberId").isNull()).isTrue();
        assertThat(entry.path("description").asText()).isEqualTo("voice");
        assertThat(entry.path("referenceId").asText()).isEmpty();
        assertThat(entry.path("amountCents").asLong()).isZero();
        assertThat(entry.path("amountMicros").asLong()).isEqualTo(-1);
        assertThat(entry.path("chargedCents").asLong()).isZero();
        assertThat(entry.path("chargedMicros").asLong()).isEqualTo(1);
        assertThat(entry.path("balanceCents").asLong()).isEqualTo(499);
        assertThat(entry.path("balanceMicros").asLong()).isEqualTo(499_999_999L);
    }

    @Test
    void a_deduction_may_take_the_balance_below_zero() {
        TestOrg org = app.newOrg("free");
        JsonNode entry = data(post(DEDUCTIONS, obj("orgId", org.orgId().toString(), "amountCents", 700,
                "resource", "gpu", "idempotencyKey", key())), 200);
        assertThat(entry.path("balanceCents").asLong()).isEqualTo(-200);
        assertThat(entry.path("balanceAfterCents").asLong()).isEqualTo(-200);
    }

    @Test
    void a_deduction_needs_exactly_one_valid_amount() {
        TestOrg org = app.newOrg("free");
        String orgId = org.orgId().toString();
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "resource", "r", "idempotencyKey", key())), 400,
                "bad_request", "amountCents", "amountMicros");
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "amountCents", 1, "amountMicros", 1, "resource", "r",
                "idempotencyKey", key())), 400, "bad_request", "amountCents", "amountMicros");
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "amountCents", 0, "resource", "r", "idempotencyKey", key())),
                400, "bad_request", "amountCents");
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "amountCents", -3, "resource", "r", "idempotencyKey", key())),
                400, "bad_request", "amountCents");
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "amountMicros", -3, "resource", "r", "idempotencyKey", key())),
                400, "bad_request", "amountMicros");
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "amountCents", raw("1.5"), "resource", "r",
                "idempotencyKey", key())), 400, "bad_request", "amountCents");
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "amountCents", 100_000_000_001L, "resource", "r",
                "idempotencyKey", key())), 400, "bad_request", "amountCents");
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "amountMicros", Long.MAX_VALUE, "resource", "r",
                "idempotencyKey", key())), 400, "bad_request", "amountMicros");
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "amountCents", 1, "idempotencyKey", key())), 400,
                "bad_request", "resource");
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "amountCents", 1, "resource", "r")), 400, "bad_request",
                "idempotencyKey");
        errorNaming(post(DEDUCTIONS, obj("amountCents", 1, "resource", "r", "idempotencyKey", key())), 400,
                "bad_request", "orgId");
        errorNaming(post(DEDUCTIONS, obj("orgId", "org_123", "amountCents", 1, "resource", "r",
                "idempotencyKey", key())), 400, "bad_request", "orgId");
        errorNaming(post(DEDUCTIONS, obj("orgId", orgId, "amountCents", 1, "resource", "r", "idempotencyKey", key(),
                "currency", "usd")), 400, "bad_request", "currency");
        assertThat(balance(app, org.orgId())).isEqualTo(Credits.ofCents(500));
    }

    @Test
    void a_deduction_for_an_unknown_org_is_404_and_for_a_member_of_another_org_422() {
        TestOrg org = app.newOrg("free");
        TestOrg other = app.newOrg("free");
        errorNaming(post(DEDUCTIONS, obj("orgId", UUID.randomUUID().toString(), "amountCents", 1, "resource", "r",
                "idempotencyKey", key())), 404, "not_found");
        errorNaming(post(DEDUCTIONS, obj("orgId", org.orgId().toString(), "memberId", other.member().id().toString(),
                "amountCents", 1, "resource", "r", "idempotencyKey", key())), 422, "unprocessable");
        assertThat(balance(app, org.orgId())).isEqualTo(Credits.ofCents(500));
    }

    // ---- model usage ----

    @Test
    void a_model_call_is_charged_at_the_platform_price_and_replays() {
        TestOrg org = app.newOrg("free");
        String key = key();
        // gpt-5: 125 / 1000 / 12.5 cents per million tokens = micros per token
        String body = obj("orgId", org.orgId().toString(), "memberId", org.member().id().toString(),
                "model", "gpt-5", "inputTokens", 1000, "outputTokens", 500, "cachedInputTokens", 4,
                "byok", false, "referenceId", "req-1", "idempotencyKey", key);
        Answer response = post(MODEL, body);
        assertFirstTime(response, 200);
        JsonNode charge = data(response, 200);
        assertCharge(charge, 1, 625_050, 500_000_000L - 625_050);
        assertThat(UUID.fromString(charge.path("entryId").asText())).isNotNull();
        assertThat(charge.path("replayed").asBoolean()).isFalse();

        Answer replay = post(MODEL, body);
        assertReplayed(replay);
        assertThat(data(replay, 200).path("entryId").asText()).isEqualTo(charge.path("entryId").asText());
        assertThat(data(replay, 200).path("replayed").asBoolean()).isTrue();
        errorNaming(post(MODEL, body.replace("\"outputTokens\":500", "\"outputTokens\":501")), 409,
                "idempotency_conflict");
        assertThat(balance(app, org.orgId())).isEqualTo(Credits.ofMicros(500_000_000L - 625_050));
    }

    @Test
    void a_byok_call_is_recorded_and_charged_nothing_even_for_a_model_without_a_price() {
        TestOrg org = app.newOrg("free");
        JsonNode charge = data(post(MODEL, obj("orgId", org.orgId().toString(), "memberId",
                org.member().id().toString(), "model", "my-fine-tune", "inputTokens", 10_000, "outputTokens", 10,
                "byok", true, "idempotencyKey", key())), 200);
        assertCharge(charge, 0, 0, 500_000_000L);
        assertThat(charge.path("entryId").isNull()).isTrue();
    }

    @Test
    void an_unknown_platform_model_is_422_unknown_model() {
        TestOrg org = app.newOrg("free");
        errorNaming(post(MODEL, obj("orgId", org.orgId().toString(), "memberId", org.member().id().toString(),
                "model", "gpt-99", "inputTokens", 1, "outputTokens", 1, "byok", false, "idempotencyKey", key())),
                422, "unknown_model");
    }

    @Test
    void an_invalid_model_call_is_400_naming_the_field() {
        TestOrg org = app.newOrg("free");
        String orgId = org.orgId().toString();
        String member = org.member().id().toString();
        errorNaming(post(MODEL, obj("orgId", orgId, "memberId", member, "model", "gpt-5", "inputTokens", 1,
                "outputTokens", 1, "idempotencyKey", key())), 400, "bad_request", "byok");
        errorNaming(post(MODEL, obj("orgId", orgId, "memberId", member, "model", "gpt-5", "outputTokens", 1,
                "byok", false, "idempotencyKey", key())), 400, "bad_request", "inputTokens");
        errorNaming(post(MODEL, obj("orgId", orgId, "memberId", member, "model", "gpt-5", "inputTokens", -1,
                "outputTokens", 1, "byok", false, "idempotencyKey", key())), 400, "bad_request", "inputTokens");
        errorNaming(post(MODEL, obj("orgId", orgId, "memberId", member, "model", "gpt-5", "inputTokens", raw("1.5"),
                "outputTokens", 1, "byok", false, "idempotencyKey", key())), 400, "bad_request", "inputTokens");
        errorNaming(post(MODEL, obj("orgId", orgId, "memberId", member, "model", "gpt-5", "inputTokens", 1,
                "outputTokens", 1, "byok", "false", "idempotencyKey", key())), 400, "bad_request", "byok");
        errorNaming(post(MODEL, obj("orgId", orgId, "model", "gpt-5", "inputTokens", 1,
                "outputTokens", 1, "byok", false, "idempotencyKey", key())), 400, "bad_request", "memberId");
        errorNaming(post(MODEL, obj("orgId", orgId, "memberId", member, "model", "gpt-5", "inputTokens", 1,
                "outputTokens", 1, "byok", false, "occurredAt", "2099-01-01T00:00:00Z", "idempotencyKey", key())),
                422, "unprocessable", "occurredAt");
        errorNaming(post(MODEL, obj("orgId", orgId, "memberId", member, "model", "gpt-5", "inputTokens", 1,
                "outputTokens", 1, "byok", false, "occurredAt", "27/11/2026", "idempotencyKey", key())),
                400, "bad_request", "occurredAt");
        errorNaming(post(MODEL, obj("orgId", orgId, "memberId", member, "model", "gpt-5", "inputTokens", 1,
                "outputTokens", 1, "byok", false, "tokens", 2, "idempotencyKey", key())), 400, "bad_request",
                "tokens");
        errorNaming(post(MODEL, obj("orgId", orgId, "memberId", UUID.randomUUID().toString(), "model", "gpt-5",
                "inputTokens", 1, "outputTokens", 1, "byok", false, "idempotencyKey", key())), 422, "unprocessable");
        errorNaming(post(MODEL, obj("orgId", UUID.randomUUID().toString(), "memberId", member, "model", "gpt-5",
                "inputTokens", 1, "outputTokens", 1, "byok", false, "idempotencyKey", key())), 404, "not_found");
        assertThat(balance(app, org.orgId())).isEqualTo(Credits.ofCents(500));
    }

    @Test
    void a_model_call_in_the_past_is_priced_and_accepted() {
        TestOrg org = app.newOrg("free");
        app.backdate(org.orgId(), java.time.Duration.ofDays(1));
        JsonNode charge = data(post(MODEL, obj("orgId", org.orgId().toString(), "memberId",
                org.member().id().toString(), "model", "claude-haiku-4-5", "inputTokens", 2_000_000,
                "outputTokens", 0, "byok", false, "occurredAt", Instant.now().minusSeconds(3600).toString(),
                "idempotencyKey", key())), 200);
        assertCharge(charge, 200, 200_000_000L, 300_000_000L);
    }

    // ---- tools ----

    @Test
    void tool_executions_are_charged_at_the_tool_price() {
        TestOrg org = app.newOrg("free");
        String member = org.member().id().toString();
        JsonNode search = data(post(TOOLS, obj("orgId", org.orgId().toString(), "memberId", member,
                "tool", "web_search", "referenceId", "run-1", "idempotencyKey", key())), 200);
        assertCharge(search, 1, 1_000_000L, 499_000_000L);
        JsonNode other = data(post(TOOLS, obj("orgId", org.orgId().toString(), "memberId", member,
                "tool", "calculator", "count", 3, "idempotencyKey", key())), 200);
        assertCharge(other, 0, 300_000L, 498_700_000L);
        String key = key();
        String body = obj("orgId", org.orgId().toString(), "memberId", member, "tool", "browser", "count", 2,
                "idempotencyKey", key);
        assertFirstTime(post(TOOLS, body), 200);
        assertReplayed(post(TOOLS, body));
        errorNaming(post(TOOLS, body.replace("\"count\":2", "\"count\":1")), 409, "idempotency_conflict");

        errorNaming(post(TOOLS, obj("orgId", org.orgId().toString(), "memberId", member, "tool", "x", "count", 0,
                "idempotencyKey", key())), 400, "bad_request", "count");
        errorNaming(post(TOOLS, obj("orgId", org.orgId().toString(), "memberId", member, "count", 1,
                "idempotencyKey", key())), 400, "bad_request", "tool");
        errorNaming(post(TOOLS, obj("orgId", org.orgId().toString(), "tool", "x", "idempotencyKey", key())), 400,
                "bad_request", "memberId");
        errorNaming(post(TOOLS, obj("orgId", UUID.randomUUID().toString(), "memberId", member, "tool", "x",
                "idempotencyKey", key())), 404, "not_found");
        errorNaming(post(TOOLS, obj("orgId", org.orgId().toString(), "memberId", app.newOrg("free").member().id()
                .toString(), "tool", "x", "idempotencyKey", key())), 422, "unprocessable");
    }

    // ---- storage ----

    @Test
    void storage_usage_is_charged_per_gib_month() {
        TestOrg org = app.newOrg("free");
        app.backdate(org.orgId(), java.time.Duration.ofDays(31));
        Instant to = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(30, ChronoUnit.DAYS);
        String key = key();
        String body = obj("orgId", org.orgId().toString(), "workspaceId", "ws-1", "byteSeconds",
                GIB_MONTH_BYTE_SECONDS, "from", from.toString(), "to", to.toString(), "idempotencyKey", key);
        JsonNode charge = data(post(STORAGE, body), 200);
        assertCharge(charge, 10, 10_000_000L, 490_000_000L);
        assertReplayed(post(STORAGE, body));
        errorNaming(post(STORAGE, body.replace("\"ws-1\"", "\"ws-2\"")), 409, "idempotency_conflict");

        JsonNode withMember = data(post(STORAGE, obj("orgId", org.orgId().toString(), "workspaceId", "ws-1",
                "memberId", org.member().id().toString(), "byteSeconds", GIB_MONTH_BYTE_SECONDS / 2,
                "from", from.toString(), "to", to.toString(), "idempotencyKey", key())), 200);
        assertCharge(withMember, 5, 5_000_000L, 485_000_000L);

        String orgId = org.orgId().toString();
        errorNaming(post(STORAGE, obj("orgId", orgId, "workspaceId", "ws", "byteSeconds", 1, "from", to.toString(),
                "to", from.toString(), "idempotencyKey", key())), 400, "bad_request", "to");
        errorNaming(post(STORAGE, obj("orgId", orgId, "workspaceId", "ws", "byteSeconds", 1, "to", to.toString(),
                "idempotencyKey", key())), 400, "bad_request", "from");
        errorNaming(post(STORAGE, obj("orgId", orgId, "workspaceId", "ws", "byteSeconds", -1, "from",
                from.toString(), "to", to.toString(), "idempotencyKey", key())), 400, "bad_request", "byteSeconds");
        errorNaming(post(STORAGE, obj("orgId", orgId, "byteSeconds", 1, "from", from.toString(), "to", to.toString(),
                "idempotencyKey", key())), 400, "bad_request", "workspaceId");
        errorNaming(post(STORAGE, obj("orgId", orgId, "workspaceId", "ws", "byteSeconds", 1, "from", "yesterday",
                "to", to.toString(), "idempotencyKey", key())), 400, "bad_request", "from");
        errorNaming(post(STORAGE, obj("orgId", UUID.randomUUID().toString(), "workspaceId", "ws", "byteSeconds", 1,
                "from", from.toString(), "to", to.toString(), "idempotencyKey", key())), 404, "not_found");
    }

    // ---- resource charges ----

    @Test
    void a_resource_charge_is_priced_by_the_catalog_unless_the_caller_names_the_amount() {
        TestOrg org = app.newOrg("free");
        String orgId = org.orgId().toString();
        JsonNode priced = data(post(RESOURCES, obj("orgId", orgId, "memberId", org.member().id().toString(),
                "resource", "code_exec", "quantity", 100, "unit", "seconds", "idempotencyKey", key())), 200);
        assertCharge(priced, 0, 200_000L, 499_800_000L);
        JsonNode named = data(post(RESOURCES, obj("orgId", orgId, "resource", "gpu_minutes", "quantity", 3,
                "unit", "minutes", "amountCents", 42, "description", "A100", "referenceId", "job-7",
                "idempotencyKey", key())), 200);
        assertCharge(named, 42, 42_000_000L, 457_800_000L);
        String key = key();
        String body = obj("orgId", orgId, "resource", "code_exec", "quantity", 5, "unit", "seconds",
                "idempotencyKey", key);
        assertFirstTime(post(RESOURCES, body), 200);
        assertReplayed(post(RESOURCES, body));
        errorNaming(post(RESOURCES, body.replace("\"quantity\":5", "\"quantity\":6")), 409, "idempotency_conflict");

        errorNaming(post(RESOURCES, obj("orgId", orgId, "resource", "code_exec", "quantity", 5, "unit", "minutes",
                "idempotencyKey", key())), 422, "unprocessable");
        errorNaming(post(RESOURCES, obj("orgId", orgId, "resource", "teleport", "quantity", 5, "unit", "trips",
                "idempotencyKey", key())), 422, "unprocessable");
        errorNaming(post(RESOURCES, obj("orgId", orgId, "resource", "code_exec", "quantity", 5,
                "idempotencyKey", key())), 400, "bad_request", "unit");
        errorNaming(post(RESOURCES, obj("orgId", orgId, "resource", "code_exec", "quantity", -5, "unit", "seconds",
                "idempotencyKey", key())), 400, "bad_request", "quantity");
        errorNaming(post(RESOURCES, obj("orgId", orgId, "resource", "gpu", "quantity", 1, "unit", "minutes",
                "amountCents", -1, "idempotencyKey", key())), 400, "bad_request", "amountCents");
        errorNaming(post(RESOURCES, obj("orgId", orgId, "resource", "gpu", "quantity", 1, "unit", "minutes",
                "amountCents", raw("0.5"), "idempotencyKey", key())), 400, "bad_request", "amountCents");
        errorNaming(post(RESOURCES, obj("orgId", UUID.randomUUID().toString(), "resource", "code_exec",
                "quantity", 5, "unit", "seconds", "idempotencyKey", key())), 404, "not_found");
    }
}
