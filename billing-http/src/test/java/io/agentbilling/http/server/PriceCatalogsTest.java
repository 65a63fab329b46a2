package io.agentbilling.http.server;

import io.agentbilling.http.server.config.ConfigException;
import io.agentbilling.http.server.config.ServerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.pricing.DefaultCatalog;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.http.json.Json;
import io.agentbilling.http.json.internal.PricingView;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The price catalog file ({@code BILLING_PRICE_CATALOG}): its format, and a clear refusal of a bad one. */
class PriceCatalogsTest {
    @TempDir
    Path dir;

    /** The built-in catalog as a catalog file: {"versions": [<what GET /pricing answers>]}. */
    private static ObjectNode builtInFile() {
        ObjectNode file = Json.mapper().createObjectNode();
        file.putArray("versions").add(Json.mapper().valueToTree(PricingView.of(DefaultCatalog.create())));
        return file;
    }

    private static ObjectNode version(ObjectNode file, int index) {
        return (ObjectNode) file.path("versions").get(index);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private Path write(JsonNode file) throws IOException {
        return write("catalog.json", Json.write(file));
    }

    /** The catalog file after {@code change}, which must be refused naming every one of {@code problems}. */
    private void assertRefused(Consumer<ObjectNode> change, String... problems) throws IOException {
        ObjectNode file = builtInFile();
        change.accept(file);
        Path path = write(file);
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> PriceCatalogs.read(path));
        assertThat(failure).as("refused: " + List.of(problems)).isNotNull();
        assertThat(failure.problems()).hasSize(1);
        assertThat(failure.problems().get(0)).startsWith("BILLING_PRICE_CATALOG file '" + path + "' is invalid: ")
                .contains(problems);
    }

    @Test
    void what_the_pricing_endpoint_answers_reads_back_as_the_same_catalog() throws IOException {
        List<PriceCatalog> read = PriceCatalogs.read(write(builtInFile()));
        assertThat(read).hasSize(1);
        assertThat(PricingView.of(read.get(0))).isEqualTo(PricingView.of(DefaultCatalog.create()));
        assertThat(read.get(0).chargeForModel("gpt-5", false, 1000, 500, 4)).isEqualTo(
                DefaultCatalog.create().chargeForModel("gpt-5", false, 1000, 500, 4));
    }

    @Test
    void a_file_with_versions_gives_effective_dated_prices_with_exact_decimals() throws IOException {
        ObjectNode file = builtInFile();
        ObjectNode later = version(file, 0).deepCopy();
        later.put("version", "2027");
        later.put("effectiveFrom", "2027-01-01T00:00:00Z");
        ((ObjectNode) later.path("models").path("gpt-5")).put("inputCentsPerMillion", new java.math.BigDecimal("0.0001"));
        ((ObjectNode) later.path("sandboxes").path("small")).put("pricePerSecondMicros", new java.math.BigDecimal("0.5"));
        later.putObject("defaultModel").put("inputCentsPerMillion", 1).put("outputCentsPerMillion", 2)
                .put("cachedInputCentsPerMillion", 0);
        ((ArrayNode) file.path("versions")).insert(0, later); // any order: the book sorts by effectiveFrom
        List<PriceCatalog> read = PriceCatalogs.read(write(file));
        assertThat(read).extracting(PriceCatalog::version).containsExactly("2027", DefaultCatalog.VERSION);
        PriceCatalog v2027 = read.get(0);
        assertThat(v2027.effectiveFrom()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(v2027.chargeForModel("gpt-5", false, 10_000, 0, 0)).isEqualTo(Credits.ofMicros(1));
        assertThat(v2027.chargeForSandbox("small", 3)).isEqualTo(Credits.ofMicros(2)); // 1.5 → 2, half-even
        assertThat(v2027.chargeForModel("anything", false, 1, 1, 0)).isEqualTo(Credits.ofMicros(3));
        assertThat(Json.write(PricingView.of(v2027))).contains("\"inputCentsPerMillion\":0.0001",
                "\"pricePerSecondMicros\":0.5");
    }

    @Test
    void a_file_that_is_not_json_or_not_readable_is_refused() throws IOException {
        Path broken = write("broken.json", "{\"versions\": [");
        Path notJson = write("not.json", "versions = 1");
        assertThat(catchThrowableOfType(ConfigException.class, () -> PriceCatalogs.read(notJson)).problems().get(0))
                .contains("not.json", "the file is not valid JSON");
        assertThat(catchThrowableOfType(ConfigException.class, () -> PriceCatalogs.read(broken)).problems().get(0))
                .contains("broken.json", "versions has an unreadable value");
        Path empty = write("empty.json", "");
        assertThat(catchThrowableOfType(ConfigException.class, () -> PriceCatalogs.read(empty)).problems().get(0))
                .contains("empty.json", "the file is required");
        Path missing = dir.resolve("missing.json");
        assertThat(catchThrowableOfType(ConfigException.class, () -> PriceCatalogs.read(missing)).problems().get(0))
                .contains("missing.json", "cannot be read");
    }

    @Test
    void the_shape_is_checked_as_strictly_as_a_request_body() throws IOException {
        assertRefused(file -> file.put("version", "1"), "version is not a known field");
        assertRefused(file -> file.putArray("versions"), "versions must hold at least one version");
        assertRefused(file -> version(file, 0).remove("storage"), "versions[0].storage is required");
        assertRefused(file -> version(file, 0).put("effectiveFrom", "2026-01-01"), "versions[0].effectiveFrom");
        assertRefused(file -> version(file, 0).put("plan", "free"), "versions[0].plan is not a known field");
        assertRefused(file -> ((ObjectNode) version(file, 0).path("models").path("gpt-5"))
                .put("inputCentsPerMillion", "125"), "versions[0].models.gpt-5.inputCentsPerMillion must be a number");
        assertRefused(file -> ((ObjectNode) version(file, 0).path("models").path("gpt-5"))
                .remove("cachedInputCentsPerMillion"), "cachedInputCentsPerMillion is required");
        assertRefused(file -> ((ObjectNode) version(file, 0).path("plans").get(0)).put("signupGrantCents", 1.5),
                "versions[0].plans[0].signupGrantCents must be an integer");
    }

    @Test
    void prices_and_plans_that_make_no_sense_are_refused_naming_each_field() throws IOException {
        assertRefused(file -> {
            ((ObjectNode) version(file, 0).path("models").path("gpt-5")).put("outputCentsPerMillion", -1);
            ((ObjectNode) version(file, 0).path("sandboxes").path("small")).put("pricePerSecondMicros", -0.5);
        }, "versions[0].models.gpt-5.outputCentsPerMillion must be >= 0",
                "versions[0].sandboxes.small.pricePerSecondMicros must be >= 0");
        assertRefused(file -> ((ObjectNode) version(file, 0).path("models")).putObject(" ")
                .put("inputCentsPerMillion", 1).put("outputCentsPerMillion", 1).put("cachedInputCentsPerMillion", 1),
                "versions[0].models has a blank name");
        assertRefused(file -> ((ArrayNode) version(file, 0).path("plans")).remove(0),
                "versions[0].plans must include the plan free");
        assertRefused(file -> ((ArrayNode) version(file, 0).path("plans")).add(version(file, 0).path("plans").get(1)),
                "versions[0].plans[4].code repeats plan pro");
        assertRefused(file -> ((ObjectNode) version(file, 0).path("plans").get(0)).put("signupGrantCents", -5),
                "versions[0].plans[0]");
        assertRefused(file -> version(file, 0).put("version", " "), "versions[0].version must not be blank");
        assertRefused(file -> ((ObjectNode) version(file, 0).path("resources").path("code_exec")).put("unit", ""),
                "versions[0].resources.code_exec.unit must not be blank");
    }

    @Test
    void versions_need_distinct_names_and_instants_and_keep_every_plan() throws IOException {
        assertRefused(file -> ((ArrayNode) file.path("versions")).add(version(file, 0).deepCopy()
                .put("effectiveFrom", "2027-01-01T00:00:00Z")), "appears twice");
        assertRefused(file -> ((ArrayNode) file.path("versions")).add(version(file, 0).deepCopy()
                .put("version", "other")), "take effect at the same instant");
        assertRefused(file -> {
            ObjectNode later = version(file, 0).deepCopy().put("version", "2027")
                    .put("effectiveFrom", "2027-01-01T00:00:00Z");
            ((ArrayNode) later.path("plans")).remove(3);
            ((ArrayNode) file.path("versions")).add(later);
        }, "version 2027 drops plan enterprise of version " + DefaultCatalog.VERSION);
    }

    @Test
    void without_a_file_the_built_in_catalog_is_in_force_and_a_bad_file_stops_the_start() throws IOException {
        ServerConfig builtIn = ServerConfig.fromEnvironment(Map.of());
        assertThat(PriceCatalogs.load(builtIn).versions()).extracting(PriceCatalog::version)
                .containsExactly(DefaultCatalog.VERSION);

        ObjectNode file = builtInFile();
        ((ObjectNode) version(file, 0).path("models").path("gpt-5")).put("inputCentsPerMillion", -1);
        Path bad = write(file);
        // The catalog is read before the database is touched: this URL is never dialled.
        ServerConfig config = ServerConfig.fromEnvironment(Map.of(ServerConfig.PRICE_CATALOG, bad.toString(),
                ServerConfig.DATABASE_URL, "jdbc:postgresql://127.0.0.1:1/nowhere",
                ServerConfig.INTERNAL_SECRET, "a-secret-of-sufficient-length-0123"));
        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> BillingApplication.start(config));
        assertThat(failure.getMessage()).contains("BILLING_PRICE_CATALOG", bad.toString(),
                "versions[0].models.gpt-5.inputCentsPerMillion must be >= 0");
    }
}
