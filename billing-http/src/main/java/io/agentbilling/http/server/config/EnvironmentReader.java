package io.agentbilling.http.server.config;

import static io.agentbilling.http.server.config.ServerConfig.*;

import io.agentbilling.core.settlement.GroupCommitLimits;
import io.agentbilling.core.payment.TopupPolicy;
import io.agentbilling.core.usage.SandboxMeterPolicy;
import io.agentbilling.core.usage.UsageWindow;
import io.agentbilling.core.usecase.SettleUsageBatch;
import io.agentbilling.core.webhooks.RetrySchedule;
import io.agentbilling.http.auth.InternalCredential;
import io.agentbilling.http.auth.RateLimit;
import io.agentbilling.http.server.config.PaymentConfig.StripeAccount;
import io.agentbilling.http.server.config.PostgresConfig.ExternalDatabase;
import io.agentbilling.jdbc.PostgresBilling;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.stripe.StripeConfig;
import io.agentbilling.webhooks.HttpWebhookSender;
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
 * Reads a {@link ServerConfig} from environment variables: the one place that parses and checks them. It collects
 * every problem instead of stopping at the first, and names the variable in each, never a secret value. Where a
 * library part owns a limit (the pool size and connection timeout of {@link DatabaseConfig}, the retries and
 * timeouts of {@link StripeConfig}, the smallest top-up of {@link TopupPolicy}) the bounds come from there, so that
 * the number lives in one place and a bad variable is a start-up message, not an exception from deep in the wiring.
 *
 * <p>Not thread-safe; one instance reads one environment once.
 */
final class EnvironmentReader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    EnvironmentReader(Map<String, String> env) {
        this.env = Objects.requireNonNull(env, "env");
    }

    ServerConfig read() {
        HttpConfig http = http();
        PostgresConfig database = database();
        PaymentConfig payments = payments(http.publicUrl());
        MeteringConfig metering = metering();
        WebhookConfig webhooks = new WebhookConfig(bool(WEBHOOK_ALLOW_PRIVATE_TARGETS, false),
                Duration.ofSeconds(integer(WEBHOOK_RETRY_SECONDS, RetrySchedule.DEFAULT.firstDelay().toSeconds(), 1,
                        3_600)),
                Duration.ofSeconds(integer(WEBHOOK_CONNECT_TIMEOUT_SECONDS,
                        HttpWebhookSender.CONNECT_TIMEOUT.toSeconds(), 1, WebhookConfig.MAX_TIMEOUT_SECONDS)),
                Duration.ofSeconds(integer(WEBHOOK_TIMEOUT_SECONDS, HttpWebhookSender.REQUEST_TIMEOUT.toSeconds(), 1,
                        WebhookConfig.MAX_TIMEOUT_SECONDS)));
        if (webhooks.allowPrivateTargets()) {
            warnings.add(WEBHOOK_ALLOW_PRIVATE_TARGETS + " is true: webhook endpoints may point into the server's own"
                    + " network (loopback, private and link-local addresses)");
        }
        List<InternalCredential> credentials = internalCredentials();
        Path dataDir = path(DATA_DIR).orElse(Path.of("billing-data"));
        Optional<Path> catalog = path(PRICE_CATALOG);
        catalog.ifPresent(file -> {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                problems.add(PRICE_CATALOG + " must name a readable file, got '" + file + "'");
            }
        });
        oneOf(LOG_FORMAT, "text", "json");
        oneOf(LOG_LEVEL, "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");
        warnAboutUnknownVariables();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ServerConfig(http, database, payments, metering, webhooks, credentials, dataDir, catalog, warnings);
    }

    private HttpConfig http() {
        int port = (int) integer(PORT, 8080, 0, 65_535);
        String host = text(HOST).orElse("0.0.0.0");
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            problems.add(HOST + " must be a host name or IP address, got '" + host + "'");
        }
        String publicUrl = text(PUBLIC_URL).map(url -> httpUrl(PUBLIC_URL, url)).orElse("http://localhost:" + port);
        List<String> origins = origins(publicUrl);
        Duration shutdown = Duration.ofSeconds(integer(SHUTDOWN_TIMEOUT_SECONDS, 20, 0, 600));
        Duration sessionLifetime = Duration.ofMinutes(integer(SESSION_TTL_MINUTES, 480, 5, 43_200));
        boolean metricsRequireSecret = bool(METRICS_REQUIRE_SECRET, false);
        RateLimit rateLimit = new RateLimit(
                (int) integer(RATE_LIMIT_RPS, RateLimit.DEFAULT.requestsPerSecond(), 0, 1_000_000),
                (int) integer(RATE_LIMIT_BURST, RateLimit.DEFAULT.burst(), 0, 1_000_000));
        return new HttpConfig(port, host, publicUrl, origins, shutdown, sessionLifetime, metricsRequireSecret,
                rateLimit);
    }

    private PostgresConfig database() {
        Optional<ExternalDatabase> external = externalDatabase();
        Optional<String> schema = text(DATABASE_SCHEMA);
        schema.ifPresent(name -> {
            if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
                problems.add(DATABASE_SCHEMA + " must be a plain lower-case PostgreSQL name (letters, digits,"
                        + " underscores; at most 63), got '" + name + "'");
            }
        });
        int poolSize = (int) integer(DB_POOL_SIZE, 8, 1, DatabaseConfig.MAX_POOL_SIZE);
        // Fail fast rather than queue: a caller told 503 retries with its idempotency key (CONFIGURATION.md).
        Duration connectionTimeout = Duration.ofMillis(integer(DB_CONNECTION_TIMEOUT_MILLIS, 1_000,
                DatabaseConfig.MIN_CONNECTION_TIMEOUT.toMillis(), DatabaseConfig.MAX_CONNECTION_TIMEOUT.toMillis()));
        Duration lockTimeout = Duration.ofMillis(integer(DB_LOCK_TIMEOUT_MILLIS,
                PostgresBilling.DEFAULT_TIMEOUTS.lockTimeout().toMillis(), 0, 600_000));
        Duration statementTimeout = Duration.ofMillis(integer(DB_STATEMENT_TIMEOUT_MILLIS,
                PostgresBilling.DEFAULT_TIMEOUTS.statementTimeout().toMillis(), 0, 3_600_000));
        return new PostgresConfig(external, schema, poolSize, connectionTimeout, lockTimeout, statementTimeout,
                settlementLimits(poolSize));
    }

    private Optional<ExternalDatabase> externalDatabase() {
        Optional<String> url = text(DATABASE_URL);
        Optional<String> user = text(DATABASE_USER);
        Optional<Secret> password = secret(DATABASE_PASSWORD);
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
        return Optional.of(new ExternalDatabase(url.get(), user, password));
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

    private PaymentConfig payments(String publicUrl) {
        long topupMax = integer(TOPUP_MAX_CENTS, TopupPolicy.DEFAULT_MAX_AMOUNT_CENTS, MIN_TOPUP_CENTS,
                MAX_TOPUP_CENTS);
        int maxFailures = (int) integer(AUTO_TOPUP_MAX_FAILURES, 3, 1, 100);
        Duration autoTopupRetry = Duration.ofSeconds(integer(AUTO_TOPUP_RETRY_SECONDS, 30, 1, 3_600));
        Optional<Secret> stripeKey = stripeSecret(STRIPE_SECRET_KEY, "sk_live_", "sk_test_", "rk_live_", "rk_test_");
        Optional<Secret> webhookSecret = stripeSecret(STRIPE_WEBHOOK_SECRET, "whsec_");
        Optional<String> stripeBase = text(STRIPE_API_BASE).map(url -> httpUrl(STRIPE_API_BASE, url));
        Duration stripeReadTimeout = Duration.ofMillis(integer(STRIPE_READ_TIMEOUT_MILLIS, 20_000, 100,
                StripeConfig.MAX_TIMEOUT.toMillis()));
        int stripeRetries = (int) integer(STRIPE_MAX_NETWORK_RETRIES, 2, 0, StripeConfig.MAX_NETWORK_RETRIES_LIMIT);
        if (stripeKey.isPresent() && webhookSecret.isEmpty()) {
            // Without webhooks, auto top-ups that settle asynchronously and refunds would never reach the ledger.
            problems.add(STRIPE_SECRET_KEY + " is set but " + STRIPE_WEBHOOK_SECRET + " is not: set both to take "
                    + "payments through Stripe, or neither to use the local checkout page");
        }
        if (stripeKey.isEmpty() && webhookSecret.isPresent()) {
            warnings.add(STRIPE_WEBHOOK_SECRET + " is set without " + STRIPE_SECRET_KEY + "; it is not used");
        }
        if (stripeKey.filter(key -> key.reveal().contains("_live_")).isPresent() && publicUrl.startsWith("http://")) {
            warnings.add("a live Stripe key with a plain-http " + PUBLIC_URL + " (" + publicUrl + ")");
        }
        Optional<StripeAccount> stripe = stripeKey.isPresent() && webhookSecret.isPresent()
                ? Optional.of(new StripeAccount(stripeKey.get(), webhookSecret.get(), stripeBase, stripeReadTimeout,
                        stripeRetries))
                : Optional.empty();
        return new PaymentConfig(topupMax, maxFailures, autoTopupRetry, stripe);
    }

    private MeteringConfig metering() {
        Duration heartbeat = Duration.ofSeconds(integer(SANDBOX_HEARTBEAT_TIMEOUT_SECONDS, 120, 5, 86_400));
        Duration grace = Duration.ofSeconds(integer(SANDBOX_GRACE_SECONDS, 900, 0, 7 * 86_400));
        UsageWindow usageWindow = new UsageWindow(
                Duration.ofDays(integer(USAGE_MAX_AGE_DAYS, UsageWindow.DEFAULT.maxAge().toDays(), 1, 3_650)),
                Duration.ofSeconds(integer(SANDBOX_SETTLE_SKEW_SECONDS,
                        UsageWindow.DEFAULT.sandboxSettleSkew().toSeconds(), 0, 3_600)));
        return new MeteringConfig(new SandboxMeterPolicy(heartbeat, grace), usageWindow);
    }

    private void warnAboutUnknownVariables() {
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

    /** A secret as given, untrimmed (whitespace may be part of it); empty counts as unset. */
    private Optional<Secret> secret(String variable) {
        return Optional.ofNullable(env.get(variable)).filter(s -> !s.isEmpty()).map(Secret::of);
    }

    /** A Stripe secret, which must carry one of Stripe's prefixes; the message never shows the value. */
    private Optional<Secret> stripeSecret(String variable, String... prefixes) {
        Optional<Secret> value = secret(variable);
        if (value.isPresent()) {
            String secret = value.get().reveal();
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
