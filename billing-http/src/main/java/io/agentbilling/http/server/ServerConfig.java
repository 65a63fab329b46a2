package io.agentbilling.http.server;

import io.agentbilling.core.settlement.GroupCommitLimits;
import io.agentbilling.core.usage.UsageWindow;
import io.agentbilling.core.usecase.SettleUsageBatch;
import io.agentbilling.http.auth.InternalCredential;
import io.agentbilling.jdbc.PostgresBilling;
import io.agentbilling.http.auth.RateLimit;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The server's configuration, read from environment variables (documented in {@code billing-http/CONFIGURATION.md}).
 * Every variable is optional: a bare start runs on port 8080 with an embedded database in {@code ./billing-data}.
 * {@link #fromEnvironment} checks everything and reports every problem at once, naming the variable; secret values
 * are never echoed, and {@link #toString()} hides them.
 *
 * @param internalCredentials the configured service credentials; empty means "generate one on first start", see
 *                            {@link #effectiveInternalCredentials()}
 * @param database            empty means "run the embedded PostgreSQL"
 * @param warnings            legal but suspicious settings, for the composition root to log at start-up
 */
public record ServerConfig(
        int port,
        String host,
        Optional<DatabaseConfig> database,
        Optional<String> databaseSchema,
        Path dataDir,
        int dbPoolSize,
        List<InternalCredential> internalCredentials,
        String publicUrl,
        List<String> allowedRedirectOrigins,
        long topupMaxCents,
        Optional<Path> priceCatalog,
        Optional<String> stripeSecretKey,
        Optional<String> stripeWebhookSecret,
        Optional<String> stripeApiBase,
        int autoTopupMaxFailures,
        Duration sandboxHeartbeatTimeout,
        Duration sandboxGracePeriod,
        Duration shutdownTimeout,
        GroupCommitLimits settlement,
        Duration dbConnectionTimeout,
        Duration dbLockTimeout,
        Duration dbStatementTimeout,
        Duration stripeReadTimeout,
        int stripeMaxNetworkRetries,
        Duration autoTopupRetryBackoff,
        Duration sessionLifetime,
        boolean metricsRequireSecret,
        UsageWindow usageWindow,
        RateLimit rateLimit,
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
            RATE_LIMIT_BURST);

    /** The smallest top-up the API accepts (spec/API.md A5), so the maximum cannot be below it. */
    public static final long MIN_TOPUP_CENTS = 500;
    /** Stripe's own ceiling for one card payment in USD ($999,999.99). */
    public static final long MAX_TOPUP_CENTS = 99_999_999;

    /** An external PostgreSQL; the password is never printed. */
    public record DatabaseConfig(String url, Optional<String> user, Optional<String> password) {
        public DatabaseConfig {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "DatabaseConfig[url=" + url + ", user=" + user.orElse("-")
                    + ", password=" + (password.isPresent() ? "***" : "-") + "]";
        }
    }

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(databaseSchema, "databaseSchema");
        Objects.requireNonNull(dataDir, "dataDir");
        internalCredentials = List.copyOf(internalCredentials);
        Objects.requireNonNull(publicUrl, "publicUrl");
        allowedRedirectOrigins = List.copyOf(allowedRedirectOrigins);
        Objects.requireNonNull(priceCatalog, "priceCatalog");
        Objects.requireNonNull(stripeSecretKey, "stripeSecretKey");
        Objects.requireNonNull(stripeWebhookSecret, "stripeWebhookSecret");
        Objects.requireNonNull(stripeApiBase, "stripeApiBase");
        Objects.requireNonNull(sandboxHeartbeatTimeout, "sandboxHeartbeatTimeout");
        Objects.requireNonNull(sandboxGracePeriod, "sandboxGracePeriod");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        Objects.requireNonNull(settlement, "settlement");
        Objects.requireNonNull(dbConnectionTimeout, "dbConnectionTimeout");
        Objects.requireNonNull(dbLockTimeout, "dbLockTimeout");
        Objects.requireNonNull(dbStatementTimeout, "dbStatementTimeout");
        Objects.requireNonNull(stripeReadTimeout, "stripeReadTimeout");
        Objects.requireNonNull(autoTopupRetryBackoff, "autoTopupRetryBackoff");
        Objects.requireNonNull(sessionLifetime, "sessionLifetime");
        Objects.requireNonNull(usageWindow, "usageWindow");
        Objects.requireNonNull(rateLimit, "rateLimit");
        warnings = List.copyOf(warnings);
    }

    /** Reads and checks the configuration; throws {@link ConfigException} listing every problem. */
    public static ServerConfig fromEnvironment(Map<String, String> env) {
        return new Parser(env).parse();
    }

    /** True when no Stripe key is configured: top-ups go through the built-in local checkout page. */
    public boolean usesLocalCheckout() {
        return stripeSecretKey.isEmpty();
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

    @Override
    public String toString() {
        return "ServerConfig[port=" + port + ", host=" + host + ", database=" + database.map(Object::toString)
                .orElse("embedded") + ", databaseSchema=" + databaseSchema.orElse("(default)") + ", dataDir=" + dataDir + ", dbPoolSize=" + dbPoolSize
                + ", internalCredentials=" + internalCredentials + ", publicUrl=" + publicUrl
                + ", allowedRedirectOrigins=" + allowedRedirectOrigins + ", topupMaxCents=" + topupMaxCents
                + ", priceCatalog=" + priceCatalog.map(Path::toString).orElse("built-in")
                + ", stripeSecretKey=" + (stripeSecretKey.isPresent() ? "***" : "-")
                + ", stripeWebhookSecret=" + (stripeWebhookSecret.isPresent() ? "***" : "-")
                + ", stripeApiBase=" + stripeApiBase.orElse("-") + ", autoTopupMaxFailures=" + autoTopupMaxFailures
                + ", sandboxHeartbeatTimeout=" + sandboxHeartbeatTimeout + ", sandboxGracePeriod=" + sandboxGracePeriod
                + ", shutdownTimeout=" + shutdownTimeout + ", settlement=" + settlement + ", dbConnectionTimeout=" + dbConnectionTimeout
                + ", dbLockTimeout=" + dbLockTimeout + ", dbStatementTimeout=" + dbStatementTimeout
                + ", stripeReadTimeout=" + stripeReadTimeout + ", stripeMaxNetworkRetries=" + stripeMaxNetworkRetries
                + ", autoTopupRetryBackoff=" + autoTopupRetryBackoff + ", sessionLifetime=" + sessionLifetime
                + ", metricsRequireSecret=" + metricsRequireSecret + ", usageWindow=" + usageWindow
                + ", rateLimit=" + rateLimit + "]";
    }

    /** Collects every problem instead of stopping at the first. */
    private static final class Parser {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        Parser(Map<String, String> env) {
            this.env = Objects.requireNonNull(env, "env");
        }

        ServerConfig parse() {
            int port = (int) integer(PORT, 8080, 0, 65_535);
            String host = text(HOST).orElse("0.0.0.0");
            if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                problems.add(HOST + " must be a host name or IP address, got '" + host + "'");
            }
            Optional<DatabaseConfig> database = database();
            Optional<String> schema = text(DATABASE_SCHEMA);
            schema.ifPresent(name -> {
                if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
                    problems.add(DATABASE_SCHEMA + " must be a plain lower-case PostgreSQL name (letters, digits,"
                            + " underscores; at most 63), got '" + name + "'");
                }
            });
            Path dataDir = path(DATA_DIR).orElse(Path.of("billing-data"));
            int poolSize = (int) integer(DB_POOL_SIZE, 8, 1, 100);
            List<InternalCredential> credentials = internalCredentials();
            String publicUrl = text(PUBLIC_URL).map(url -> httpUrl(PUBLIC_URL, url))
                    .orElse("http://localhost:" + port);
            List<String> origins = origins(publicUrl);
            long topupMax = integer(TOPUP_MAX_CENTS, 1_000_000, MIN_TOPUP_CENTS, MAX_TOPUP_CENTS);
            Optional<Path> catalog = path(PRICE_CATALOG);
            catalog.ifPresent(file -> {
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    problems.add(PRICE_CATALOG + " must name a readable file, got '" + file + "'");
                }
            });
            Optional<String> stripeKey = secret(STRIPE_SECRET_KEY, "sk_live_", "sk_test_", "rk_live_", "rk_test_");
            Optional<String> webhookSecret = secret(STRIPE_WEBHOOK_SECRET, "whsec_");
            Optional<String> stripeBase = text(STRIPE_API_BASE).map(url -> httpUrl(STRIPE_API_BASE, url));
            int maxFailures = (int) integer(AUTO_TOPUP_MAX_FAILURES, 3, 1, 100);
            Duration heartbeat = Duration.ofSeconds(integer(SANDBOX_HEARTBEAT_TIMEOUT_SECONDS, 120, 5, 86_400));
            Duration grace = Duration.ofSeconds(integer(SANDBOX_GRACE_SECONDS, 900, 0, 7 * 86_400));
            Duration shutdown = Duration.ofSeconds(integer(SHUTDOWN_TIMEOUT_SECONDS, 20, 0, 600));
            GroupCommitLimits settlement = settlementLimits(poolSize);
            // Fail fast rather than queue: a caller told 503 retries with its idempotency key (CONFIGURATION.md).
            Duration connectionTimeout = Duration.ofMillis(integer(DB_CONNECTION_TIMEOUT_MILLIS, 1_000, 500, 30_000));
            Duration lockTimeout = Duration.ofMillis(integer(DB_LOCK_TIMEOUT_MILLIS,
                    PostgresBilling.DEFAULT_TIMEOUTS.lockTimeout().toMillis(), 0, 600_000));
            Duration statementTimeout = Duration.ofMillis(integer(DB_STATEMENT_TIMEOUT_MILLIS,
                    PostgresBilling.DEFAULT_TIMEOUTS.statementTimeout().toMillis(), 0, 3_600_000));
            Duration stripeReadTimeout = Duration.ofMillis(integer(STRIPE_READ_TIMEOUT_MILLIS, 20_000, 100, 600_000));
            int stripeRetries = (int) integer(STRIPE_MAX_NETWORK_RETRIES, 2, 0, 10);
            Duration autoTopupRetry = Duration.ofSeconds(integer(AUTO_TOPUP_RETRY_SECONDS, 30, 1, 3_600));
            Duration sessionLifetime = Duration.ofMinutes(integer(SESSION_TTL_MINUTES, 480, 5, 43_200));
            boolean metricsRequireSecret = bool(METRICS_REQUIRE_SECRET, false);
            oneOf(LOG_FORMAT, "text", "json");
            oneOf(LOG_LEVEL, "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
            UsageWindow usageWindow = new UsageWindow(
                    Duration.ofDays(integer(USAGE_MAX_AGE_DAYS, UsageWindow.DEFAULT.maxAge().toDays(), 1, 3_650)),
                    Duration.ofSeconds(integer(SANDBOX_SETTLE_SKEW_SECONDS,
                            UsageWindow.DEFAULT.sandboxSettleSkew().toSeconds(), 0, 3_600)));
            RateLimit rateLimit = new RateLimit(
                    (int) integer(RATE_LIMIT_RPS, RateLimit.DEFAULT.requestsPerSecond(), 0, 1_000_000),
                    (int) integer(RATE_LIMIT_BURST, RateLimit.DEFAULT.burst(), 0, 1_000_000));
            if (stripeKey.isPresent() && webhookSecret.isEmpty()) {
                // Without webhooks, auto top-ups that settle asynchronously and refunds would never reach the ledger.
                problems.add(STRIPE_SECRET_KEY + " is set but " + STRIPE_WEBHOOK_SECRET + " is not: set both to take "
                        + "payments through Stripe, or neither to use the local checkout page");
            }
            warn(stripeKey, webhookSecret, publicUrl);
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return new ServerConfig(port, host, database, schema, dataDir, poolSize, credentials, publicUrl, origins,
                    topupMax, catalog, stripeKey, webhookSecret, stripeBase, maxFailures, heartbeat, grace, shutdown,
                    settlement, connectionTimeout, lockTimeout, statementTimeout, stripeReadTimeout, stripeRetries,
                    autoTopupRetry, sessionLifetime, metricsRequireSecret, usageWindow, rateLimit, warnings);
        }

        /**
         * The group-commit limits. The batch must hold the largest batch request (1 000 events), and each writer
         * holds a pooled connection for its whole transaction, so there must be fewer writers than connections:
         * the rest of the pool serves reads (credit checks, reports) while every writer is busy.
         */
        private GroupCommitLimits settlementLimits(int poolSize) {
            GroupCommitLimits defaults = GroupCommitLimits.defaults(); // the embedded engine's too
            int queue = (int) integer(SETTLEMENT_QUEUE_CAPACITY, defaults.queueCapacity(), 1, 1_000_000);
            int maxBatch = (int) integer(SETTLEMENT_MAX_BATCH, defaults.maxBatchRequests(),
                    SettleUsageBatch.MAX_EVENTS, 100_000);
            int writers = (int) integer(SETTLEMENT_WRITERS, defaults.writerThreads(), 1, 64);
            if (writers >= poolSize && env.containsKey(SETTLEMENT_WRITERS)) {
                problems.add(SETTLEMENT_WRITERS + " (" + writers + ") must be below " + DB_POOL_SIZE + " (" + poolSize
                        + "): each writer holds a connection, and reads need one too");
            }
            long timeoutMillis = integer(SETTLEMENT_TIMEOUT_MS, defaults.callerTimeout().toMillis(), 100, 120_000);
            return new GroupCommitLimits(queue, maxBatch, Math.max(1, Math.min(writers, poolSize - 1)),
                    Duration.ofMillis(timeoutMillis));
        }

        private void warn(Optional<String> stripeKey, Optional<String> webhookSecret, String publicUrl) {
            if (stripeKey.isEmpty() && webhookSecret.isPresent()) {
                warnings.add(STRIPE_WEBHOOK_SECRET + " is set without " + STRIPE_SECRET_KEY + "; it is not used");
            }
            if (stripeKey.filter(key -> key.contains("_live_")).isPresent() && publicUrl.startsWith("http://")) {
                warnings.add("a live Stripe key with a plain-http " + PUBLIC_URL + " (" + publicUrl + ")");
            }
            Set<String> unknown = new TreeSet<>();
            for (String name : env.keySet()) {
                if (name.startsWith("BILLING_") && !VARIABLES.contains(name)) {
                    unknown.add(name);
                }
            }
            if (!unknown.isEmpty()) {
                warnings.add("unknown settings ignored (a typo?): " + String.join(", ", unknown));
            }
        }

        private Optional<DatabaseConfig> database() {
            Optional<String> url = text(DATABASE_URL);
            Optional<String> user = text(DATABASE_USER);
            Optional<String> password = Optional.ofNullable(env.get(DATABASE_PASSWORD)).filter(p -> !p.isEmpty());
            if (url.isEmpty()) {
                if (user.isPresent() || password.isPresent()) {
                    problems.add(DATABASE_USER + "/" + DATABASE_PASSWORD + " are set but " + DATABASE_URL
                            + " is not (leave all three unset for the embedded database)");
                }
                return Optional.empty();
            }
            if (!url.get().startsWith("jdbc:postgresql://")) {
                problems.add(DATABASE_URL + " must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db)");
                return Optional.empty();
            }
            return Optional.of(new DatabaseConfig(url.get(), user, password));
        }

        private List<InternalCredential> internalCredentials() {
            List<InternalCredential> credentials = new ArrayList<>();
            Optional<String> single = Optional.ofNullable(env.get(INTERNAL_SECRET)).filter(s -> !s.isEmpty());
            single.ifPresent(secret -> credential(INTERNAL_SECRET, "default", secret, credentials));
            Optional<String> list = Optional.ofNullable(env.get(INTERNAL_SECRETS)).filter(s -> !s.isBlank());
            if (list.isPresent()) {
                int position = 0;
                for (String entry : list.get().split(",", -1)) {
                    position++;
                    int colon = entry.indexOf(':');
                    if (colon <= 0) {
                        problems.add(INTERNAL_SECRETS + " entry " + position
                                + " must be name:secret (entries separated by commas)");
                        continue;
                    }
                    credential(INTERNAL_SECRETS, entry.substring(0, colon).trim(), entry.substring(colon + 1),
                            credentials);
                }
            }
            Set<String> names = new HashSet<>();
            for (InternalCredential credential : credentials) {
                if (!names.add(credential.name())) {
                    problems.add("two internal secrets are named '" + credential.name() + "' (" + INTERNAL_SECRET
                            + " is named 'default')");
                }
            }
            return credentials;
        }

        private void credential(String variable, String name, String secret, List<InternalCredential> into) {
            try {
                into.add(new InternalCredential(name, secret));
            } catch (IllegalArgumentException e) {
                problems.add(variable + ": " + e.getMessage()); // the message names the credential, never the secret
            }
        }

        private List<String> origins(String publicUrl) {
            Optional<String> configured = text(ALLOWED_REDIRECT_ORIGINS);
            if (configured.isEmpty()) {
                String origin = origin(PUBLIC_URL, publicUrl);
                return origin == null ? List.of() : List.of(origin);
            }
            List<String> origins = new ArrayList<>();
            for (String entry : configured.get().split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                String origin = origin(ALLOWED_REDIRECT_ORIGINS, entry.trim());
                if (origin != null && !origins.contains(origin)) {
                    origins.add(origin);
                }
            }
            if (origins.isEmpty() && problems.stream().noneMatch(p -> p.startsWith(ALLOWED_REDIRECT_ORIGINS))) {
                problems.add(ALLOWED_REDIRECT_ORIGINS + " must list at least one origin");
            }
            return origins;
        }

        /** {@code scheme://host[:port]}, lower-cased; {@code null} (and a problem) when it is not an http(s) origin. */
        private String origin(String variable, String value) {
            URI uri = uri(variable, value);
            if (uri == null) {
                return null;
            }
            String path = uri.getRawPath();
            if (variable.equals(ALLOWED_REDIRECT_ORIGINS) && (path != null && !path.isEmpty() && !path.equals("/")
                    || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null)) {
                problems.add(variable + " entries must be origins like https://app.example.com, got '" + value + "'");
                return null;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            int port = uri.getPort();
            boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        }

        /** An absolute http(s) URL without query or fragment, with no trailing slash. */
        private String httpUrl(String variable, String value) {
            URI uri = uri(variable, value);
            if (uri == null) {
                return value;
            }
            if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                problems.add(variable + " must not have a query, fragment or user info, got '" + value + "'");
            }
            return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
        }

        private URI uri(String variable, String value) {
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // reported below
            }
            problems.add(variable + " must be an absolute http:// or https:// URL, got '" + value + "'");
            return null;
        }

        private Optional<String> secret(String variable, String... prefixes) {
            Optional<String> value = Optional.ofNullable(env.get(variable)).filter(s -> !s.isEmpty());
            if (value.isPresent()) {
                String secret = value.get();
                boolean known = false;
                for (String prefix : prefixes) {
                    known |= secret.startsWith(prefix) && secret.length() > prefix.length();
                }
                if (!known || !secret.strip().equals(secret)) {
                    problems.add(variable + " must start with " + String.join(" or ", prefixes)
                            + " (value not shown)");
                }
            }
            return value;
        }

        private long integer(String variable, long fallback, long min, long max) {
            Optional<String> value = text(variable);
            if (value.isEmpty()) {
                return fallback;
            }
            try {
                long parsed = Long.parseLong(value.get());
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.add(variable + " must be an integer from " + min + " to " + max + ", got '" + value.get() + "'");
            return fallback;
        }

        private boolean bool(String variable, boolean fallback) {
            Optional<String> value = text(variable);
            if (value.isEmpty()) {
                return fallback;
            }
            switch (value.get()) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    problems.add(variable + " must be true or false, got '" + value.get() + "'");
                    return fallback;
            }
        }

        /** A setting read elsewhere (logback.xml), checked here: exactly one of {@code allowed}, as spelled. */
        private void oneOf(String variable, String... allowed) {
            Optional<String> value = text(variable);
            if (value.isPresent() && !List.of(allowed).contains(value.get())) {
                problems.add(variable + " must be one of " + String.join(", ", allowed) + ", got '" + value.get()
                        + "'");
            }
        }

        private Optional<Path> path(String variable) {
            Optional<String> value = text(variable);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(Path.of(value.get()));
            } catch (InvalidPathException e) {
                problems.add(variable + " must be a file system path, got '" + value.get() + "'");
                return Optional.empty();
            }
        }

        /** A non-secret value, trimmed; empty counts as unset. */
        private Optional<String> text(String variable) {
            String value = env.get(variable);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
        }
    }
}
