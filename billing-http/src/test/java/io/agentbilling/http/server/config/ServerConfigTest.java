package io.agentbilling.http.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.agentbilling.core.settlement.GroupCommitLimits;
import io.agentbilling.http.auth.InternalCredential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    private static final String SECRET_A = "scheduler-secret-0123456789";
    private static final String SECRET_B = "sandbox:secret-with-colon-0123";

    @Test
    void a_bare_environment_gives_the_documented_defaults() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of());
        assertThat(config.http().port()).isEqualTo(8080);
        assertThat(config.http().host()).isEqualTo("0.0.0.0");
        assertThat(config.database().external()).isEmpty();
        assertThat(config.dataDir()).isEqualTo(Path.of("billing-data"));
        assertThat(config.database().poolSize()).isEqualTo(8);
        assertThat(config.internalCredentials()).isEmpty();
        assertThat(config.http().publicUrl()).isEqualTo("http://localhost:8080");
        assertThat(config.http().allowedRedirectOrigins()).containsExactly("http://localhost:8080");
        assertThat(config.payments().topupMaxCents()).isEqualTo(1_000_000);
        assertThat(config.priceCatalog()).isEmpty();
        assertThat(config.payments().usesLocalCheckout()).isTrue();
        assertThat(config.payments().autoTopupMaxFailures()).isEqualTo(3);
        assertThat(config.metering().sandbox().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(config.metering().sandbox().gracePeriod()).isEqualTo(Duration.ofSeconds(900));
        assertThat(config.http().shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
        // The server answers a settlement within a second (503 to retry), as an embedded engine does by default.
        assertThat(config.database().settlement()).isEqualTo(new GroupCommitLimits(20_000, 1_000, 2, Duration.ofSeconds(1)))
                .isEqualTo(GroupCommitLimits.defaults());
        assertThat(config.database().schema()).isEmpty();
        assertThat(config.database().connectionTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.database().lockTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.database().statementTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.payments().stripe()).isEmpty();
        ServerConfig withStripe = ServerConfig.fromEnvironment(Map.of(
                "STRIPE_SECRET_KEY", "sk_test_abc", "STRIPE_WEBHOOK_SECRET", "whsec_abc"));
        assertThat(withStripe.payments().stripe()).hasValueSatisfying(stripe -> {
            assertThat(stripe.readTimeout()).isEqualTo(Duration.ofSeconds(20));
            assertThat(stripe.maxNetworkRetries()).isEqualTo(2);
            assertThat(stripe.apiBase()).isEmpty();
        });
        assertThat(config.payments().autoTopupRetryBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.http().sessionLifetime()).isEqualTo(Duration.ofHours(8));
        assertThat(config.http().metricsRequireSecret()).isFalse();
        assertThat(config.webhooks().allowPrivateTargets()).isFalse();
        assertThat(config.webhooks().firstRetryDelay()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void private_webhook_targets_are_allowed_only_when_set_and_then_with_a_warning() {
        ServerConfig allowed = ServerConfig.fromEnvironment(Map.of("BILLING_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true"));
        assertThat(allowed.webhooks().allowPrivateTargets()).isTrue();
        assertThat(String.join("\n", allowed.warnings())).contains("BILLING_WEBHOOK_ALLOW_PRIVATE_TARGETS");
        assertThat(ServerConfig.fromEnvironment(Map.of("BILLING_WEBHOOK_ALLOW_PRIVATE_TARGETS", "false"))
                .webhooks().allowPrivateTargets()).isFalse();
        ConfigException wrong = catchThrowableOfType(ConfigException.class, () -> ServerConfig.fromEnvironment(
                Map.of("BILLING_WEBHOOK_ALLOW_PRIVATE_TARGETS", "yes")));
        assertThat(wrong.getMessage()).contains("BILLING_WEBHOOK_ALLOW_PRIVATE_TARGETS must be true or false");
        assertThat(ServerConfig.fromEnvironment(Map.of("BILLING_WEBHOOK_RETRY_SECONDS", "2")).webhooks()
                .firstRetryDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(catchThrowableOfType(ConfigException.class, () -> ServerConfig.fromEnvironment(
                Map.of("BILLING_WEBHOOK_RETRY_SECONDS", "0"))).getMessage()).contains("BILLING_WEBHOOK_RETRY_SECONDS");
        WebhookConfig defaults = ServerConfig.fromEnvironment(Map.of()).webhooks();
        assertThat(defaults.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        WebhookConfig timeouts = ServerConfig.fromEnvironment(Map.of("BILLING_WEBHOOK_CONNECT_TIMEOUT_SECONDS", "2",
                "BILLING_WEBHOOK_TIMEOUT_SECONDS", "30")).webhooks();
        assertThat(timeouts.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(timeouts.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        for (String name : List.of("BILLING_WEBHOOK_CONNECT_TIMEOUT_SECONDS", "BILLING_WEBHOOK_TIMEOUT_SECONDS")) {
            for (String value : List.of("0", "31", "ten")) {
                assertThat(catchThrowableOfType(ConfigException.class, () -> ServerConfig.fromEnvironment(
                        Map.of(name, value))).getMessage()).as(name + "=" + value).contains(name);
            }
        }
    }

    @Test
    void session_lifetime_metrics_protection_and_the_logging_settings_are_read_and_checked() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("BILLING_SESSION_TTL_MINUTES", "30",
                "BILLING_METRICS_REQUIRE_SECRET", "true", "BILLING_LOG_FORMAT", "json", "BILLING_LOG_LEVEL", "WARN"));
        assertThat(config.http().sessionLifetime()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.http().metricsRequireSecret()).isTrue();
        assertThat(config.warnings()).isEmpty();

        ConfigException wrong = catchThrowableOfType(ConfigException.class, () -> ServerConfig.fromEnvironment(Map.of(
                "BILLING_SESSION_TTL_MINUTES", "4", "BILLING_METRICS_REQUIRE_SECRET", "yes",
                "BILLING_LOG_FORMAT", "xml", "BILLING_LOG_LEVEL", "verbose")));
        assertThat(wrong.getMessage()).contains("BILLING_SESSION_TTL_MINUTES must be an integer from 5 to 43200",
                "BILLING_METRICS_REQUIRE_SECRET must be true or false", "BILLING_LOG_FORMAT must be one of text, json",
                "BILLING_LOG_LEVEL must be one of TRACE, DEBUG, INFO, WARN, ERROR, OFF");
    }

    @Test
    void every_variable_is_read(@TempDir Path dir) throws IOException {
        Path catalog = Files.writeString(dir.resolve("prices.json"), "{}");
        Map<String, String> env = new HashMap<>();
        env.put("BILLING_PORT", "9090");
        env.put("BILLING_HOST", "127.0.0.1");
        env.put("BILLING_DATABASE_URL", "jdbc:postgresql://db:5432/billing");
        env.put("BILLING_DATABASE_USER", "billing");
        env.put("BILLING_DATABASE_PASSWORD", "db-password-value");
        env.put("BILLING_DATABASE_SCHEMA", "billing");
        env.put("BILLING_DATA_DIR", dir.toString());
        env.put("BILLING_DB_POOL_SIZE", "16");
        env.put("BILLING_INTERNAL_SECRET", SECRET_A);
        env.put("BILLING_INTERNAL_SECRETS", "sandbox:" + SECRET_B);
        env.put("BILLING_PUBLIC_URL", "https://billing.example.com/");
        env.put("BILLING_ALLOWED_REDIRECT_ORIGINS", "https://app.example.com, https://APP2.example.com:443/");
        env.put("BILLING_TOPUP_MAX_CENTS", "5000000");
        env.put("BILLING_PRICE_CATALOG", catalog.toString());
        env.put("STRIPE_SECRET_KEY", "sk_test_abc123");
        env.put("STRIPE_WEBHOOK_SECRET", "whsec_abc123");
        env.put("STRIPE_API_BASE", "http://localhost:12111");
        env.put("BILLING_AUTO_TOPUP_MAX_FAILURES", "5");
        env.put("BILLING_SANDBOX_HEARTBEAT_TIMEOUT_SECONDS", "60");
        env.put("BILLING_SANDBOX_GRACE_SECONDS", "300");
        env.put("BILLING_SHUTDOWN_TIMEOUT_SECONDS", "30");
        env.put("BILLING_SETTLEMENT_QUEUE_CAPACITY", "5000");
        env.put("BILLING_SETTLEMENT_MAX_BATCH", "2000");
        env.put("BILLING_SETTLEMENT_WRITERS", "3");
        env.put("BILLING_SETTLEMENT_TIMEOUT_MS", "2500");
        env.put("BILLING_DB_CONNECTION_TIMEOUT_MILLIS", "750");
        env.put("BILLING_DB_LOCK_TIMEOUT_MILLIS", "0");
        env.put("BILLING_DB_STATEMENT_TIMEOUT_MILLIS", "30000");
        env.put("STRIPE_READ_TIMEOUT_MILLIS", "1500");
        env.put("STRIPE_MAX_NETWORK_RETRIES", "0");
        env.put("BILLING_AUTO_TOPUP_RETRY_SECONDS", "2");
        ServerConfig config = ServerConfig.fromEnvironment(env);

        assertThat(config.http().port()).isEqualTo(9090);
        assertThat(config.http().host()).isEqualTo("127.0.0.1");
        assertThat(config.database().external()).hasValueSatisfying(db -> {
            assertThat(db.url()).isEqualTo("jdbc:postgresql://db:5432/billing");
            assertThat(db.user()).contains("billing");
            assertThat(db.password()).contains(Secret.of("db-password-value"));
        });
        assertThat(config.database().schema()).contains("billing");
        assertThat(config.dataDir()).isEqualTo(dir);
        assertThat(config.database().poolSize()).isEqualTo(16);
        assertThat(config.internalCredentials()).containsExactly(
                new InternalCredential("default", SECRET_A), new InternalCredential("sandbox", SECRET_B));
        assertThat(config.effectiveInternalCredentials()).isEqualTo(config.internalCredentials());
        assertThat(config.http().publicUrl()).isEqualTo("https://billing.example.com");
        assertThat(config.http().allowedRedirectOrigins()).containsExactly("https://app.example.com", "https://app2.example.com");
        assertThat(config.payments().topupMaxCents()).isEqualTo(5_000_000);
        assertThat(config.priceCatalog()).contains(catalog);
        assertThat(config.payments().stripe()).hasValueSatisfying(stripe -> {
            assertThat(stripe.secretKey().reveal()).isEqualTo("sk_test_abc123");
            assertThat(stripe.webhookSecret().reveal()).isEqualTo("whsec_abc123");
            assertThat(stripe.apiBase()).contains("http://localhost:12111");
            assertThat(stripe.readTimeout()).isEqualTo(Duration.ofMillis(1_500));
            assertThat(stripe.maxNetworkRetries()).isZero();
        });
        assertThat(config.payments().usesLocalCheckout()).isFalse();
        assertThat(config.payments().autoTopupMaxFailures()).isEqualTo(5);
        assertThat(config.metering().sandbox().heartbeatTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.metering().sandbox().gracePeriod()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.http().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.database().settlement()).isEqualTo(new GroupCommitLimits(5_000, 2_000, 3, Duration.ofMillis(2_500)));
        assertThat(config.database().connectionTimeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(config.database().lockTimeout()).isEqualTo(Duration.ZERO);
        assertThat(config.database().statementTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.payments().autoTopupRetryBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.warnings()).isEmpty();

        String printed = config.toString();
        assertThat(printed).doesNotContain("db-password-value", SECRET_A, SECRET_B, "sk_test_abc123", "whsec_abc123");
    }

    @Test
    void every_problem_is_reported_at_once_naming_the_variable_and_never_a_secret() {
        Map<String, String> env = new HashMap<>();
        env.put("BILLING_PORT", "eighty");
        env.put("BILLING_DB_POOL_SIZE", "0");
        env.put("BILLING_TOPUP_MAX_CENTS", "100");
        env.put("BILLING_PUBLIC_URL", "ftp://example.com");
        env.put("BILLING_ALLOWED_REDIRECT_ORIGINS", "https://ok.example.com,https://x.example.com/path");
        env.put("BILLING_DATABASE_URL", "postgres://db/billing");
        env.put("BILLING_INTERNAL_SECRET", "short-secret");
        env.put("BILLING_INTERNAL_SECRETS", "noseparator,a:" + SECRET_A + ",a:" + SECRET_A);
        env.put("STRIPE_SECRET_KEY", "pk_live_publishable-by-mistake");
        env.put("BILLING_PRICE_CATALOG", "/no/such/catalog.json");
        env.put("BILLING_SHUTDOWN_TIMEOUT_SECONDS", "-1");
        env.put("BILLING_SANDBOX_GRACE_SECONDS", "1.5");
        env.put("BILLING_DATABASE_SCHEMA", "Billing; DROP TABLE orgs");

        ConfigException failure = catchThrowableOfType(ConfigException.class, () -> ServerConfig.fromEnvironment(env));
        assertThat(failure.getMessage()).contains("BILLING_PORT", "'eighty'", "BILLING_DB_POOL_SIZE",
                "BILLING_TOPUP_MAX_CENTS", "BILLING_PUBLIC_URL", "BILLING_ALLOWED_REDIRECT_ORIGINS",
                "BILLING_DATABASE_URL", "BILLING_INTERNAL_SECRET", "BILLING_INTERNAL_SECRETS entry 1",
                "named 'a'", "STRIPE_SECRET_KEY", "BILLING_PRICE_CATALOG", "BILLING_SHUTDOWN_TIMEOUT_SECONDS",
                "BILLING_SANDBOX_GRACE_SECONDS", "BILLING_DATABASE_SCHEMA");
        assertThat(failure.problems()).hasSizeGreaterThanOrEqualTo(13);
        assertThat(failure.getMessage()).doesNotContain("short-secret", SECRET_A, "pk_live_publishable-by-mistake");
    }

    @Test
    void settlement_limits_are_bounded_and_leave_a_connection_for_reads() {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> ServerConfig.fromEnvironment(Map.of(
                "BILLING_SETTLEMENT_QUEUE_CAPACITY", "0",
                "BILLING_SETTLEMENT_MAX_BATCH", "999",
                "BILLING_SETTLEMENT_TIMEOUT_MS", "forever",
                "BILLING_DB_POOL_SIZE", "4",
                "BILLING_SETTLEMENT_WRITERS", "4")));
        assertThat(error.getMessage()).contains("BILLING_SETTLEMENT_QUEUE_CAPACITY", "BILLING_SETTLEMENT_MAX_BATCH",
                "BILLING_SETTLEMENT_TIMEOUT_MS", "BILLING_SETTLEMENT_WRITERS");

        ServerConfig smallPool = ServerConfig.fromEnvironment(Map.of("BILLING_DB_POOL_SIZE", "2"));
        assertThat(smallPool.database().settlement().writerThreads()).isEqualTo(1);
    }

    @Test
    void suspicious_but_legal_settings_are_warnings() {
        ServerConfig config = ServerConfig.fromEnvironment(Map.of(
                "STRIPE_SECRET_KEY", "sk_live_abc", "STRIPE_WEBHOOK_SECRET", "whsec_abc", "BILLING_PROT", "9000"));
        assertThat(String.join("\n", config.warnings())).contains("plain-http", "BILLING_PROT");
    }

    @Test
    void a_stripe_key_without_a_webhook_secret_is_refused() {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.fromEnvironment(Map.of("STRIPE_SECRET_KEY", "sk_test_abc")));
        assertThat(failure.getMessage()).contains("STRIPE_WEBHOOK_SECRET").doesNotContain("sk_test_abc");
    }

    @Test
    void database_credentials_without_a_url_are_refused() {
        ConfigException failure = catchThrowableOfType(ConfigException.class,
                () -> ServerConfig.fromEnvironment(Map.of("BILLING_DATABASE_USER", "billing")));
        assertThat(failure.getMessage()).contains("BILLING_DATABASE_URL");
    }

    @Test
    void a_secret_prints_masked_wherever_it_is_held() {
        Secret secret = Secret.of("db-password-value");
        assertThat(secret.reveal()).isEqualTo("db-password-value");
        assertThat(secret).hasToString("***").isEqualTo(Secret.of("db-password-value"));
        assertThat(new PostgresConfig.ExternalDatabase("jdbc:postgresql://db/billing", java.util.Optional.of("u"),
                java.util.Optional.of(secret)).toString()).contains("db/billing").doesNotContain("db-password-value");
    }

    @Test
    void the_configuration_document_lists_every_variable() throws IOException {
        String document = Files.readString(Path.of("CONFIGURATION.md"));
        for (String variable : ServerConfig.VARIABLES) {
            assertThat(document).as(variable).contains("`" + variable + "`");
        }
    }

    @Test
    void without_a_configured_secret_one_is_generated_once_and_kept_private(@TempDir Path dir) throws IOException {
        Path dataDir = dir.resolve("data");
        ServerConfig config = ServerConfig.fromEnvironment(Map.of("BILLING_DATA_DIR", dataDir.toString()));
        List<InternalCredential> first = config.effectiveInternalCredentials();
        List<InternalCredential> second = config.effectiveInternalCredentials();
        assertThat(first).hasSize(1).isEqualTo(second);
        assertThat(first.get(0).name()).isEqualTo("default");
        assertThat(first.get(0).secret()).hasSizeGreaterThanOrEqualTo(40);
        Path file = dataDir.resolve(InternalSecretFile.FILE_NAME);
        assertThat(Files.readString(file).strip()).isEqualTo(first.get(0).secret());
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
    }
}
