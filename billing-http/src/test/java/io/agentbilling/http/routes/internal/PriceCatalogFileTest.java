package io.agentbilling.http.routes.internal;

import static io.agentbilling.http.support.Envelopes.data;
import static io.agentbilling.http.routes.internal.InternalApi.key;
import static io.agentbilling.http.routes.internal.InternalApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbilling.core.pricing.DefaultCatalog;
import io.agentbilling.http.support.TestApplication;
import io.agentbilling.http.support.TestApplication.TestOrg;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.json.internal.PricingView;
import io.agentbilling.http.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server started with {@code BILLING_PRICE_CATALOG}: a file with a version in force (its own prices, a default
 * model price, a fractional sandbox price, a bigger free grant) and one in the future, which is not in force yet.
 */
class PriceCatalogFileTest {
    private static TestApplication app;

    @BeforeAll
    static void start() throws IOException {
        ObjectNode current = Json.mapper().valueToTree(PricingView.of(DefaultCatalog.create()));
        current.put("version", "acme-2025").put("effectiveFrom", "2025-06-01T00:00:00Z");
        ((ObjectNode) current.path("models").path("gpt-5")).put("inputCentsPerMillion", 200);
        current.putObject("defaultModel").put("inputCentsPerMillion", 50).put("outputCentsPerMillion", 100)
                .put("cachedInputCentsPerMillion", 5);
        current.putObject("sandboxes").putObject("nano").put("pricePerSecondMicros", new BigDecimal("0.5"));
        ((ObjectNode) current.path("plans").get(0)).put("signupGrantCents", 1000);
        ObjectNode future = current.deepCopy().put("version", "acme-2099").put("effectiveFrom", "2099-01-01T00:00:00Z");
        ((ObjectNode) future.path("models").path("gpt-5")).put("inputCentsPerMillion", 999);
        ObjectNode file = Json.mapper().createObjectNode();
        file.putArray("versions").add(future).add(current);
        Path path = Files.createTempFile("catalog", ".json");
        Files.writeString(path, Json.write(file));
        app = new TestApplication(Map.of(ServerConfig.PRICE_CATALOG, path.toString()));
    }

    @AfterAll
    static void stop() {
        app.close();
        try {
            Files.deleteIfExists(Path.of(app.app.config().priceCatalog().orElseThrow().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void pricing_answers_the_files_version_in_force() {
        JsonNode pricing = data(app.internalGet("/v1/internal/billing/pricing"), 200);
        assertThat(pricing.path("version").asText()).isEqualTo("acme-2025");
        assertThat(pricing.path("effectiveFrom").asText()).isEqualTo("2025-06-01T00:00:00Z");
        assertThat(pricing.path("models").path("gpt-5").path("inputCentsPerMillion").decimalValue())
                .isEqualByComparingTo("200");
        assertThat(pricing.path("defaultModel").path("outputCentsPerMillion").decimalValue())
                .isEqualByComparingTo("100");
        assertThat(pricing.path("sandboxes").path("nano").path("pricePerSecondMicros").decimalValue())
                .isEqualByComparingTo("0.5");
        assertThat(pricing.path("sandboxes").has("small")).isFalse();
        assertThat(pricing.path("plans").get(0).path("signupGrantCents").asLong()).isEqualTo(1000);
    }

    @Test
    void settlements_gates_and_new_orgs_use_the_files_prices() {
        TestOrg org = app.newOrg("free");
        assertThat(data(app.internalPost("/v1/internal/billing/credit-check", obj("orgId", org.orgId().toString())),
                200).path("balanceCents").asLong()).isEqualTo(1000);
        JsonNode gpt5 = data(app.internalPost("/v1/internal/billing/model-usage", obj("orgId", org.orgId().toString(),
                "memberId", org.member().id().toString(), "model", "gpt-5", "inputTokens", 1_000_000,
                "outputTokens", 0, "byok", false, "idempotencyKey", key())), 200);
        assertThat(gpt5.path("chargedCents").asLong()).isEqualTo(200);
        JsonNode unlisted = data(app.internalPost("/v1/internal/billing/model-usage", obj("orgId",
                org.orgId().toString(), "memberId", org.member().id().toString(), "model", "in-house-7b",
                "inputTokens", 1_000_000, "outputTokens", 1_000_000, "byok", false, "idempotencyKey", key())), 200);
        assertThat(unlisted.path("chargedCents").asLong()).isEqualTo(150);

        String quote = app.internalPost("/v1/internal/billing/sandbox-runtime/quote", obj("orgId",
                org.orgId().toString(), "size", "nano", "seconds", 3)).body();
        assertThat(quote).contains("\"pricePerSecondMicros\":0.5,");
        JsonNode parsed = data(app.internalPost("/v1/internal/billing/sandbox-runtime/quote", obj("orgId",
                org.orgId().toString(), "size", "nano", "seconds", 3)), 200);
        assertThat(parsed.path("costMicros").asLong()).isEqualTo(2); // 1.5 micros, half-even
        assertThat(parsed.path("affordableSeconds").asLong()).isEqualTo((1000 - 200 - 150) * 1_000_000L * 2);
    }
}
