package io.agentbilling.http.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentbilling.http.server.config.Secret;
import io.agentbilling.http.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * compose.yaml stays true to what it runs: the image the image profile builds, an environment the server accepts
 * without a problem or a warning, a database URL that names the compose PostgreSQL with its own database, user and
 * password, the image's data directory as a volume, and the image's health probe. (ImageIT starts the image's server
 * with this environment.)
 */
class ComposeFileTest {
    private final JsonNode services = ComposeFile.read().path("services");

    @Test
    void the_server_service_runs_the_built_image_with_a_configuration_the_server_accepts() {
        JsonNode billing = services.path("billing");
        String version = ComposeFile.fromPom("pom.xml", "<artifactId>billing-parent</artifactId>\\s*<version>([^<]+)</version>");
        String imageName = ComposeFile.fromPom("billing-http/pom.xml", "<image.name>([^<]+)</image.name>");
        assertThat(billing.path("image").asText()).isEqualTo(imageName + ":" + version);

        Map<String, String> env = ComposeFile.serverEnvironment();
        ServerConfig config = ServerConfig.fromEnvironment(env);
        assertThat(config.warnings()).isEmpty();
        assertThat(config.payments().usesLocalCheckout()).isTrue();
        assertThat(config.http().metricsRequireSecret()).isTrue();
        assertThat(env.keySet()).allMatch(ServerConfig.VARIABLES::contains);

        JsonNode postgres = services.path("postgres").path("environment");
        assertThat(services.path("postgres").path("image").asText()).isEqualTo("postgres:17");
        assertThat(config.database().external()).hasValueSatisfying(db -> {
            assertThat(db.url()).isEqualTo("jdbc:postgresql://postgres:5432/" + postgres.path("POSTGRES_DB").asText());
            assertThat(db.user()).contains(postgres.path("POSTGRES_USER").asText());
            assertThat(db.password()).contains(Secret.of(postgres.path("POSTGRES_PASSWORD").asText()));
        });
        assertThat(billing.path("depends_on").path("postgres").path("condition").asText()).isEqualTo("service_healthy");
    }

    @Test
    void ports_volume_and_health_check_match_the_image() {
        JsonNode billing = services.path("billing");
        String port = ComposeFile.fromPom("billing-http/pom.xml", "<BILLING_PORT>(\\d+)</BILLING_PORT>");
        assertThat(billing.path("ports").get(0).asText()).isEqualTo(port + ":" + port);
        String dataDir = ComposeFile.fromPom("billing-http/pom.xml", "<BILLING_DATA_DIR>([^<]+)</BILLING_DATA_DIR>");
        assertThat(billing.path("volumes").get(0).asText()).endsWith(":" + dataDir);

        String probe = ComposeFile.fromPom("billing-http/pom.xml",
                "<io\\.agentbilling\\.healthcheck>([^<]+)</io\\.agentbilling\\.healthcheck>");
        List<String> test = new ArrayList<>();
        billing.path("healthcheck").path("test").forEach(t -> test.add(t.asText()));
        assertThat(test.get(0)).isEqualTo("CMD");
        assertThat(String.join(" ", test.subList(1, test.size()))).isEqualTo(probe);
        assertThat(probe).endsWith("io.agentbilling.http.server.Main healthcheck");
    }
}
