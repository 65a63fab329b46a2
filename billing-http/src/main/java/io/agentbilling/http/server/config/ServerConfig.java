package io.agentbilling.http.server.config;

import io.agentbilling.core.payment.TopupPolicy;
import io.agentbilling.core.settlement.GroupCommitLimits;
import io.agentbilling.http.auth.InternalCredential;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's configuration, read from environment variables (documented in {@code billing-http/CONFIGURATION.md})
 * by {@link #fromEnvironment}, which checks everything and reports every problem at once, naming the variable.
 * Every variable is optional: a bare start runs on port 8080 with an embedded database in {@code ./billing-data}.
 * Each concern has its own record; secret values are {@link Secret}s, so printing any of them shows no secret.
 *
 * @param http                how the server listens
 * @param database            the database and how it is used
 * @param payments            top-up limits and the Stripe account, if any
 * @param metering            sandbox and usage-age policies
 * @param webhooks            how outbound webhooks are sent
 * @param internalCredentials the configured service credentials; empty means "generate one on first start", see
 *                            {@link #effectiveInternalCredentials()}
 * @param dataDir             where the embedded database and the generated internal secret live
 * @param priceCatalog        a price catalog file; empty means the built-in catalog
 * @param warnings            legal but suspicious settings, for the composition root to log at start-up
 */
public record ServerConfig(
        HttpConfig http,
        PostgresConfig database,
        PaymentConfig payments,
        MeteringConfig metering,
        WebhookConfig webhooks,
        List<InternalCredential> internalCredentials,
        Path dataDir,
        Optional<Path> priceCatalog,
        List<String> warnings) {

    public static final String PORT = "BILLING_PORT";
    public static final String HOST = "BILLING_HOST";
    public static final String DATABASE_URL = "BILLING_DATABASE_URL";
    public static final String DATABASE_USER = "BILLING_DATABASE_USER";
    public static final String DATABASE_PASSWORD = "BILLING_DATABASE_PASSWORD";
    public static final String DATABASE_SCHEMA = "BILLING_DATABASE_SCHEMA";
    public static final String DATA_DIR = "BILLING_DATA_DIR";
    public static final String DB_POOL_SIZE = "BILLING_DB_POOL_SIZE";
    public static final String INTERNAL_SECRET = "BILLING_INTERNAL_SECRET";
    public static final String INTERNAL_SECRETS = "BILLING_INTERNAL_SECRETS";
    public static final String PUBLIC_URL = "BILLING_PUBLIC_URL";
    public static final String ALLOWED_REDIRECT_ORIGINS = "BILLING_ALLOWED_REDIRECT_ORIGINS";
    public static final String TOPUP_MAX_CENTS = "BILLING_TOPUP_MAX_CENTS";
    public static final String PRICE_CATALOG = "BILLING_PRICE_CATALOG";
    public static final String STRIPE_SECRET_KEY = "STRIPE_SECRET_KEY";
    public static final String STRIPE_WEBHOOK_SECRET = "STRIPE_WEBHOOK_SECRET";
    public static final String STRIPE_API_BASE = "STRIPE_API_BASE";
    public static final String AUTO_TOPUP_MAX_FAILURES = "BILLING_AUTO_TOPUP_MAX_FAILURES";
    public static final String SANDBOX_HEARTBEAT_TIMEOUT_SECONDS = "BILLING_SANDBOX_HEARTBEAT_TIMEOUT_SECONDS";
    public static final String SANDBOX_GRACE_SECONDS = "BILLING_SANDBOX_GRACE_SECONDS";
    public static final String SHUTDOWN_TIMEOUT_SECONDS = "BILLING_SHUTDOWN_TIMEOUT_SECONDS";
    public static final String SETTLEMENT_QUEUE_CAPACITY = "BILLING_SETTLEMENT_QUEUE_CAPACITY";
    public static final String SETTLEMENT_MAX_BATCH = "BILLING_SETTLEMENT_MAX_BATCH";
    public static final String SETTLEMENT_WRITERS = "BILLING_SETTLEMENT_WRITERS";
    public static final String SETTLEMENT_TIMEOUT_MS = "BILLING_SETTLEMENT_TIMEOUT_MS";
    public static final String DB_CONNECTION_TIMEOUT_MILLIS = "BILLING_DB_CONNECTION_TIMEOUT_MILLIS";
    public static final String DB_LOCK_TIMEOUT_MILLIS = "BILLING_DB_LOCK_TIMEOUT_MILLIS";
    public static final String DB_STATEMENT_TIMEOUT_MILLIS = "BILLING_DB_STATEMENT_TIMEOUT_MILLIS";
    public static final String STRIPE_READ_TIMEOUT_MILLIS = "STRIPE_READ_TIMEOUT_MILLIS";
    public static final String STRIPE_MAX_NETWORK_RETRIES = "STRIPE_MAX_NETWORK_RETRIES";
    public static final String AUTO_TOPUP_RETRY_SECONDS = "BILLING_AUTO_TOPUP_RETRY_SECONDS";
    public static final String SESSION_TTL_MINUTES = "BILLING_SESSION_TTL_MINUTES";
    public static final String METRICS_REQUIRE_SECRET = "BILLING_METRICS_REQUIRE_SECRET";
    /** Read by logback.xml (text or json); checked here so that a typo is a start-up error, not silence. */
    public static final String LOG_FORMAT = "BILLING_LOG_FORMAT";
    /** Read by logback.xml (the root level); checked here. */
    public static final String LOG_LEVEL = "BILLING_LOG_LEVEL";
    public static final String USAGE_MAX_AGE_DAYS = "BILLING_USAGE_MAX_AGE_DAYS";
    public static final String SANDBOX_SETTLE_SKEW_SECONDS = "BILLING_SANDBOX_SETTLE_SKEW_SECONDS";
    public static final String RATE_LIMIT_RPS = "BILLING_RATE_LIMIT_RPS";
    public static final String RATE_LIMIT_BURST = "BILLING_RATE_LIMIT_BURST";
    public static final String WEBHOOK_ALLOW_PRIVATE_TARGETS = "BILLING_WEBHOOK_ALLOW_PRIVATE_TARGETS";
    public static final String WEBHOOK_RETRY_SECONDS = "BILLING_WEBHOOK_RETRY_SECONDS";
    public static final String WEBHOOK_CONNECT_TIMEOUT_SECONDS = "BILLING_WEBHOOK_CONNECT_TIMEOUT_SECONDS";
    public static final String WEBHOOK_TIMEOUT_SECONDS = "BILLING_WEBHOOK_TIMEOUT_SECONDS";
    /** The server's default settlement timeout: answer 503 within a second rather than queue (CONFIGURATION.md). */
    public static final Duration DEFAULT_SETTLEMENT_TIMEOUT = GroupCommitLimits.defaults().callerTimeout();

    /** Every variable this class reads. */
    public static final List<String> VARIABLES = List.of(PORT, HOST, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD,
            DATABASE_SCHEMA, DATA_DIR, DB_POOL_SIZE, INTERNAL_SECRET, INTERNAL_SECRETS, PUBLIC_URL, ALLOWED_REDIRECT_ORIGINS,
            TOPUP_MAX_CENTS, PRICE_CATALOG, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET, STRIPE_API_BASE,
            AUTO_TOPUP_MAX_FAILURES, SANDBOX_HEARTBEAT_TIMEOUT_SECONDS, SANDBOX_GRACE_SECONDS,
            SHUTDOWN_TIMEOUT_SECONDS, SETTLEMENT_QUEUE_CAPACITY, SETTLEMENT_MAX_BATCH, SETTLEMENT_WRITERS,
            SETTLEMENT_TIMEOUT_MS, DB_CONNECTION_TIMEOUT_MILLIS, DB_LOCK_TIMEOUT_MILLIS, DB_STATEMENT_TIMEOUT_MILLIS,
            STRIPE_READ_TIMEOUT_MILLIS, STRIPE_MAX_NETWORK_RETRIES, AUTO_TOPUP_RETRY_SECONDS, SESSION_TTL_MINUTES,
            METRICS_REQUIRE_SECRET, LOG_FORMAT, LOG_LEVEL, USAGE_MAX_AGE_DAYS, SANDBOX_SETTLE_SKEW_SECONDS, RATE_LIMIT_RPS,
            RATE_LIMIT_BURST, WEBHOOK_ALLOW_PRIVATE_TARGETS, WEBHOOK_RETRY_SECONDS, WEBHOOK_CONNECT_TIMEOUT_SECONDS,
            WEBHOOK_TIMEOUT_SECONDS);

    /** The smallest top-up the API accepts (spec/API.md A5), so the maximum cannot be below it. */
    public static final long MIN_TOPUP_CENTS = TopupPolicy.MIN_AMOUNT_CENTS;
    /** Stripe's own ceiling for one card payment in USD ($999,999.99). */
    public static final long MAX_TOPUP_CENTS = 99_999_999;

    public ServerConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(payments, "payments");
        Objects.requireNonNull(metering, "metering");
        Objects.requireNonNull(webhooks, "webhooks");
        internalCredentials = List.copyOf(internalCredentials);
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(priceCatalog, "priceCatalog");
        warnings = List.copyOf(warnings);
    }

    /** Reads and checks the configuration; throws {@link ConfigException} listing every problem. */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        return new EnvironmentReader(env).read();
    }

    /**
     * The configured service credentials, or, when none is configured, the one stored in the data directory
     * (generated there on first start). Touches the file system in the second case.
     */
    public List<InternalCredential> effectiveInternalCredentials() {
        if (!internalCredentials.isEmpty()) {
            return internalCredentials;
        }
        return List.of(InternalSecretFile.loadOrCreate(dataDir));
    }
}
