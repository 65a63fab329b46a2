package io.agentbilling.http.routes.internal;

import static io.agentbilling.http.support.Envelopes.errorNaming;
import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.support.Envelopes.fields;
import static io.agentbilling.http.routes.internal.InternalApi.key;
import static io.agentbilling.http.routes.internal.InternalApi.obj;
import static io.agentbilling.http.routes.internal.InternalApi.raw;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.core.pricing.DefaultCatalog;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.support.TestApplication.TestOrg;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The credit gates (credit check, storage quota, sandbox quote) and the pricing read, over real HTTP. */
class GatesAndPricingTest {
    private static final String CREDIT_CHECK = "/v1/internal/billing/credit-check";
    private static final String QUOTA = "/v1/internal/billing/storage/quota";
    private static final String QUOTE = "/v1/internal/billing/sandbox-runtime/quote";
    private static final long GIB = PriceCatalog.BYTES_PER_GIB;

    private static TestApplication app;

    @BeforeAll
    static void start() {
        app = new TestApplication();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static Answer post(String path, String json) {
        return app.internalPost(path, json);
    }

    // ---- credit check ----

    @Test
    void the_credit_check_allows_what_the_balance_covers() {
        TestOrg org = app.newOrg("free"); // 500 cents
        JsonNode allowed = data(post(CREDIT_CHECK, obj("orgId", org.orgId().toString(), "estimatedCents", 500)), 200);
        assertThat(fields(allowed)).containsExactly("allowed", "balanceCents", "heldCents", "availableCents", "reason",
                "limitedBy", "limits");
        assertThat(allowed.path("heldCents").asLong()).isZero();
        assertThat(allowed.path("limitedBy").isNull()).isTrue();
        assertThat(allowed.path("limits").size()).isEqualTo(1);
        assertThat(allowed.path("limits").path(0).path("kind").asText()).isEqualTo("org_balance");
        assertThat(allowed.path("limits").path(0).path("remainingCents").asLong()).isEqualTo(500);
        assertThat(allowed.path("allowed").asBoolean()).isTrue();
        assertThat(allowed.path("balanceCents").asLong()).isEqualTo(500);
        assertThat(allowed.path("availableCents").asLong()).isEqualTo(500);
        assertThat(allowed.path("reason").isNull()).isTrue();

        JsonNode refused = data(post(CREDIT_CHECK, obj("orgId", org.orgId().toString(), "estimatedCents", 501)), 200);
        assertThat(refused.path("allowed").asBoolean()).isFalse();
        assertThat(refused.path("reason").asText()).isEqualTo("insufficient_credits");

        assertThat(data(post(CREDIT_CHECK, obj("orgId", org.orgId().toString())), 200).path("allowed").asBoolean())
                .isTrue();
        app.internalPost("/v1/internal/billing/deductions", obj("orgId", org.orgId().toString(), "amountCents", 500,
                "resource", "r", "idempotencyKey", key()));
        JsonNode empty = data(post(CREDIT_CHECK, obj("orgId", org.orgId().toString())), 200);
        assertThat(empty.path("allowed").asBoolean()).isFalse();
        assertThat(empty.path("balanceCents").asLong()).isZero();
        assertThat(data(post(CREDIT_CHECK, obj("orgId", org.orgId().toString(), "estimatedCents", 0)), 200)
                .path("allowed").asBoolean()).isTrue();
    }

    @Test
    void an_invalid_credit_check_is_400_and_an_unknown_org_404() {
        TestOrg org = app.newOrg("free");
        errorNaming(post(CREDIT_CHECK, obj("orgId", org.orgId().toString(), "estimatedCents", -1)), 400,
                "bad_request", "estimatedCents");
        errorNaming(post(CREDIT_CHECK, obj("orgId", org.orgId().toString(), "estimatedCents", raw("0.5"))), 400,
                "bad_request", "estimatedCents");
        errorNaming(post(CREDIT_CHECK, obj("orgId", org.orgId().toString(), "estimatedCents", 100_000_000_001L)),
                400, "bad_request", "estimatedCents");
        errorNaming(post(CREDIT_CHECK, obj("estimatedCents", 1)), 400, "bad_request", "orgId");
        errorNaming(post(CREDIT_CHECK, obj("orgId", "12345")), 400, "bad_request", "orgId");
        errorNaming(post(CREDIT_CHECK, obj("orgId", org.orgId().toString(), "estimate", 1)), 400, "bad_request",
                "estimate");
        errorNaming(post(CREDIT_CHECK, ""), 400, "bad_request", "body");
        errorNaming(post(CREDIT_CHECK, "{\"orgId\":"), 400, "bad_request", "body");
        errorNaming(post(CREDIT_CHECK, obj("orgId", UUID.randomUUID().toString())), 404, "not_found");
    }

    // ---- storage quota ----

    @Test
    void the_storage_quota_is_the_plans() {
        TestOrg free = app.newOrg("free"); // 1 GiB
        JsonNode fits = data(post(QUOTA, obj("orgId", free.orgId().toString(), "workspaceId", "ws-1",
                "currentBytes", GIB / 4, "requestedBytes", GIB / 4)), 200);
        assertThat(fields(fits)).containsExactly("allowed", "quotaBytes", "remainingBytes", "reason");
        assertThat(fits.path("allowed").asBoolean()).isTrue();
        assertThat(fits.path("quotaBytes").asLong()).isEqualTo(GIB);
        assertThat(fits.path("remainingBytes").asLong()).isEqualTo(GIB - GIB / 4);
        assertThat(fits.path("reason").isNull()).isTrue();

        JsonNode over = data(post(QUOTA, obj("orgId", free.orgId().toString(), "workspaceId", "ws-1",
                "currentBytes", GIB / 2, "requestedBytes", GIB / 2 + 1)), 200);
        assertThat(over.path("allowed").asBoolean()).isFalse();
        assertThat(over.path("remainingBytes").asLong()).isEqualTo(GIB / 2);
        assertThat(over.path("reason").asText()).isEqualTo("storage_quota_exceeded");

        TestOrg team = app.newOrg("team");
        assertThat(data(post(QUOTA, obj("orgId", team.orgId().toString(), "workspaceId", "ws", "currentBytes", 0,
                "requestedBytes", GIB)), 200).path("quotaBytes").asLong()).isEqualTo(200 * GIB);

        errorNaming(post(QUOTA, obj("orgId", free.orgId().toString(), "workspaceId", "ws", "currentBytes", -1,
                "requestedBytes", 0)), 400, "bad_request", "currentBytes");
        errorNaming(post(QUOTA, obj("orgId", free.orgId().toString(), "workspaceId", "ws", "currentBytes", 0)), 400,
                "bad_request", "requestedBytes");
        errorNaming(post(QUOTA, obj("orgId", free.orgId().toString(), "currentBytes", 0, "requestedBytes", 0)), 400,
                "bad_request", "workspaceId");
        errorNaming(post(QUOTA, obj("orgId", UUID.randomUUID().toString(), "workspaceId", "ws", "currentBytes", 0,
                "requestedBytes", 0)), 404, "not_found");
    }

    // ---- pricing ----

    @Test
    void pricing_is_the_catalog_in_force_with_exact_decimal_prices() {
        JsonNode pricing = data(app.internalGet("/v1/internal/billing/pricing"), 200);
        assertThat(fields(pricing)).containsExactly("version", "effectiveFrom", "models", "defaultModel", "sandboxes",
                "storage", "tools", "resources", "plans");
        assertThat(pricing.path("version").asText()).isEqualTo(DefaultCatalog.VERSION);
        assertThat(pricing.path("effectiveFrom").asText()).isEqualTo("2026-01-01T00:00:00Z");
        JsonNode gpt5 = pricing.path("models").path("gpt-5");
        assertThat(fields(gpt5)).containsExactly("inputCentsPerMillion", "outputCentsPerMillion",
                "cachedInputCentsPerMillion");
        assertThat(gpt5.path("inputCentsPerMillion").isNumber()).isTrue();
        assertThat(gpt5.path("inputCentsPerMillion").decimalValue()).isEqualByComparingTo("125");
        assertThat(gpt5.path("outputCentsPerMillion").decimalValue()).isEqualByComparingTo("1000");
        assertThat(gpt5.path("cachedInputCentsPerMillion").decimalValue()).isEqualByComparingTo("12.5");
        assertThat(fields(pricing.path("models"))).containsExactly("claude-haiku-4-5", "claude-sonnet-4-5",
                "gemini-2.5-flash", "gemini-2.5-pro", "gpt-5", "gpt-5-mini");
        assertThat(pricing.path("defaultModel").isNull()).isTrue();
        assertThat(pricing.path("sandboxes").path("small").path("pricePerSecondMicros").decimalValue())
                .isEqualByComparingTo("1400");
        assertThat(fields(pricing.path("sandboxes"))).containsExactly("large", "medium", "small", "xlarge");
        // 10000000, not 1E+7
        assertThat(app.internalGet("/v1/internal/billing/pricing").body())
                .contains("\"storage\":{\"pricePerGiBMonthMicros\":10000000}")
                .doesNotContain("E+");
        assertThat(pricing.path("tools").path("pricePerExecutionMicros").decimalValue()).isEqualByComparingTo("100000");
        assertThat(pricing.path("tools").path("overrides").path("web_search").path("pricePerExecutionMicros")
                .decimalValue()).isEqualByComparingTo("1000000");
        JsonNode codeExec = pricing.path("resources").path("code_exec");
        assertThat(codeExec.path("unit").asText()).isEqualTo("seconds");
        assertThat(codeExec.path("pricePerUnitMicros").decimalValue()).isEqualByComparingTo("2000");
        JsonNode free = pricing.path("plans").get(0);
        assertThat(fields(free)).containsExactly("code", "name", "signupGrantCents", "signupGrantDays",
                "storageQuotaBytes");
        assertThat(free.path("code").asText()).isEqualTo("free");
        assertThat(free.path("name").asText()).isEqualTo("Free");
        assertThat(free.path("signupGrantCents").asLong()).isEqualTo(500);
        assertThat(free.path("signupGrantDays").asInt()).isEqualTo(30);
        assertThat(free.path("storageQuotaBytes").asLong()).isEqualTo(GIB);
        assertThat(pricing.path("plans").findValuesAsText("code")).containsExactly("free", "pro", "team",
                "enterprise");
    }

    // ---- sandbox quote ----

    @Test
    void a_sandbox_quote_prices_the_seconds_and_counts_what_the_credit_covers() {
        TestOrg org = app.newOrg("free"); // 500 cents = 500 000 000 micros; small = 1400 micros per second
        JsonNode quote = data(post(QUOTE, obj("orgId", org.orgId().toString(), "size", "small", "seconds", 3600)),
                200);
        assertThat(fields(quote)).containsExactly("pricePerSecondMicros", "costCents", "costMicros",
                "affordableSeconds", "allowed", "availableCents");
        assertThat(quote.path("pricePerSecondMicros").decimalValue()).isEqualTo(new BigDecimal("1400"));
        assertThat(quote.path("costMicros").asLong()).isEqualTo(5_040_000L);
        assertThat(quote.path("costCents").asLong()).isEqualTo(5);
        assertThat(quote.path("affordableSeconds").asLong()).isEqualTo(500_000_000L / 1400);
        assertThat(quote.path("allowed").asBoolean()).isTrue();
        assertThat(quote.path("availableCents").asLong()).isEqualTo(500);

        JsonNode tooLong = data(post(QUOTE, obj("orgId", org.orgId().toString(), "size", "xlarge", "seconds",
                1_000_000)), 200);
        assertThat(tooLong.path("allowed").asBoolean()).isFalse();
        assertThat(tooLong.path("costCents").asLong()).isEqualTo(11_200);
        JsonNode justPrice = data(post(QUOTE, obj("orgId", org.orgId().toString(), "size", "medium")), 200);
        assertThat(justPrice.path("costCents").asLong()).isZero();
        assertThat(justPrice.path("allowed").asBoolean()).isTrue();

        errorNaming(post(QUOTE, obj("orgId", org.orgId().toString(), "size", "huge")), 422, "unprocessable");
        errorNaming(post(QUOTE, obj("orgId", org.orgId().toString(), "size", "small", "seconds", 0)), 400,
                "bad_request", "seconds");
        errorNaming(post(QUOTE, obj("orgId", org.orgId().toString(), "seconds", 1)), 400, "bad_request", "size");
        errorNaming(post(QUOTE, obj("orgId", UUID.randomUUID().toString(), "size", "small")), 404, "not_found");
    }
}
