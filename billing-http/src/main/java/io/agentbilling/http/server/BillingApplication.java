package io.agentbilling.http.server;

import io.agentbilling.core.webhooks.RetrySchedule;
import io.agentbilling.http.server.config.HttpConfig;
import io.agentbilling.http.server.config.PostgresConfig;
import io.agentbilling.http.server.config.Secret;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.http.server.infrastructure.BillingHttpServer;
import io.agentbilling.http.server.infrastructure.HttpDependencies;
import io.agentbilling.http.server.infrastructure.HttpMetrics;
import io.agentbilling.http.server.infrastructure.HttpServerSettings;
import io.agentbilling.http.server.infrastructure.ServerLifecycle;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.agentbilling.core.BackgroundJobs;
import io.agentbilling.core.Billing;
import io.agentbilling.core.access.SignInSessions;
import io.agentbilling.core.settlement.SettlementMetrics;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.payment.RedirectAllowList;
import io.agentbilling.core.payment.TopupPolicy;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.usecase.AuthenticateSession;
import io.agentbilling.embedded.postgres.EmbeddedDatabase;
import io.agentbilling.http.auth.InternalCredential;
import io.agentbilling.jdbc.JdbiTransactions;
import io.agentbilling.jdbc.PostgresBilling;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.webhooks.HttpWebhookSender;
import io.agentbilling.webhooks.WebhookTargets;
import io.javalin.Javalin;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: from a {@link ServerConfig}, the database (embedded PostgreSQL under the data directory when
 * none is configured, kept running by an {@link EmbeddedDatabaseSupervisor}), the pool, the payment gateway, the
 * engine wired by {@link PostgresBilling} exactly as an embedding service gets it (migrations, group commit, timeouts,
 * background jobs), and the HTTP server — and the order in which they stop (server first, draining requests; then the
 * engine: its jobs and settlement queue; then the pool and the database).
 */
public final class BillingApplication implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BillingApplication.class);
    /** How often the server checks that its embedded PostgreSQL still runs (it restarts it if not). */
    private static final Duration SUPERVISION_INTERVAL = Duration.ofSeconds(1);

    private final ServerConfig config;
    private final Billing billing;
    private final ServerLifecycle lifecycle;
    private final List<InternalCredential> credentials;
    private final PaymentWiring payments;

    private BillingApplication(ServerConfig config, Billing billing, ServerLifecycle lifecycle,
                               List<InternalCredential> credentials, PaymentWiring payments) {
        this.config = config;
        this.billing = billing;
        this.lifecycle = lifecycle;
        this.credentials = credentials;
        this.payments = payments;
    }

    /** Starts everything; on failure, closes what was already started and rethrows. */
    public static BillingApplication start(ServerConfig config) {
        Objects.requireNonNull(config, "config");
        config.warnings().forEach(w -> LOG.warn("configuration: {}", w));
        PriceBook priceBook = PriceCatalogs.load(config); // a bad catalog file stops the start before anything runs
        List<AutoCloseable> started = new ArrayList<>();
        try {
            DatabaseConfig database;
            PostgresConfig postgres = config.database();
            if (postgres.external().isPresent()) {
                PostgresConfig.ExternalDatabase db = postgres.external().get();
                database = DatabaseConfig.of(db.url(), db.user().orElse("postgres"),
                        db.password().map(Secret::reveal).orElse(""));
            } else {
                EmbeddedDatabaseSupervisor embedded = new EmbeddedDatabaseSupervisor(
                        EmbeddedDatabase.start(config.dataDir().resolve("postgres"), 0), SUPERVISION_INTERVAL,
                        System::exit);
                started.add(embedded);
                database = embedded.databaseConfig();
            }
            PaymentWiring payments = PaymentWiring.from(config);
            if (payments.local()) {
                LOG.warn("payments: no {} is set, so top-ups go through the local checkout page ({}/checkout/…), "
                        + "which takes no money: any org admin can add credit. Set it before going live.",
                        ServerConfig.STRIPE_SECRET_KEY, config.http().publicUrl());
            }
            // The same wiring an embedding service uses; only the settings come from the environment. The engine
            // creates the pool (with the schema, if any, on its connections' search path) and closes it.
            PostgresBilling.Configuration wiring = PostgresBilling.configure()
                    .database(database.withPoolSize(postgres.poolSize())
                            .withConnectionTimeout(postgres.connectionTimeout()))
                    .timeouts(new JdbiTransactions.Timeouts(postgres.lockTimeout(), postgres.statementTimeout()))
                    .groupCommit(postgres.settlement())
                    .clock(Clock.systemUTC())
                    .priceBook(priceBook)
                    .paymentGateway(payments.gateway())
                    .topupPolicy(topupPolicy(config))
                    .autoTopupPolicy(new AutoTopupPolicy(config.payments().topupMaxCents(),
                            config.payments().autoTopupMaxFailures(), 5, config.payments().autoTopupRetryBackoff(),
                            Duration.ofMinutes(5)))
                    .sandboxPolicy(config.metering().sandbox())
                    .usageWindow(config.metering().usageWindow())
                    .signInSessions(new SignInSessions(config.http().sessionLifetime()))
                    .webhookSender(new HttpWebhookSender(new WebhookTargets(
                            config.webhooks().allowPrivateTargets(), WebhookTargets.SYSTEM), Clock.systemUTC(),
                            config.webhooks().connectTimeout(), config.webhooks().requestTimeout()))
                    .webhookRetries(new RetrySchedule(config.webhooks().firstRetryDelay(),
                            RetrySchedule.DEFAULT.maxDelay(), RetrySchedule.DEFAULT.window()))
                    .backgroundJobs(BackgroundJobs.Settings.onOwnThread().onFailure((job, e) ->
                            LOG.warn("background job '{}' failed; it runs again on schedule", job, e)));
            postgres.schema().ifPresent(wiring::schema);
            PostgresBilling engine = wiring.start();
            started.add(engine);
            HikariDataSource pool = (HikariDataSource) engine.dataSource(); // database(...) makes a HikariCP pool
            Billing billing = engine.billing();

            HttpMetrics metrics = new HttpMetrics();
            metrics.addJvmMetrics();
            registerMetrics(metrics, pool, billing);
            List<InternalCredential> credentials = config.effectiveInternalCredentials();
            HttpDependencies dependencies = new HttpDependencies(key -> billing.authenticateApiKey().execute(key),
                    credentials, () -> pingDatabase(pool), metrics,
                    token -> billing.authenticateSession().execute(token).map(AuthenticateSession.Result::caller));
            Javalin app = BillingHttpServer.create(httpServerSettings(config.http()), dependencies,
                    RouteGroups.all(billing, config, payments));
            ServerLifecycle lifecycle = ServerLifecycle.start(app, started.toArray(AutoCloseable[]::new));
            return new BillingApplication(config, billing, lifecycle, credentials, payments);
        } catch (RuntimeException e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    private static void pingDatabase(DataSource pool) {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
        } catch (SQLException e) {
            throw new IllegalStateException("the database does not answer", e);
        }
    }

    /** The server part of the configuration: 1 MiB bodies, a 1 s readiness timeout. */
    static HttpServerSettings httpServerSettings(HttpConfig http) {
        String version = BillingApplication.class.getPackage().getImplementationVersion();
        return new HttpServerSettings(http.host(), http.port(), HttpServerSettings.ONE_MIB, http.shutdownTimeout(),
                Duration.ofSeconds(1), http.publicUrl(), version == null ? "dev" : version,
                http.metricsRequireSecret(), http.rateLimit());
    }

    static TopupPolicy topupPolicy(ServerConfig config) {
        String base = config.http().publicUrl().replaceAll("/+$", "");
        LinkedHashSet<String> origins = new LinkedHashSet<>(config.http().allowedRedirectOrigins());
        return new TopupPolicy(config.payments().topupMaxCents(), base + "/checkout/success", base + "/checkout/cancelled",
                new RedirectAllowList(origins));
    }

    private static void registerMetrics(HttpMetrics metrics, HikariDataSource pool, Billing billing) {
        metrics.gauge("billing_db_pool_active_connections", "Connections in use", () -> poolBean(pool).getActiveConnections());
        metrics.gauge("billing_db_pool_idle_connections", "Idle connections", () -> poolBean(pool).getIdleConnections());
        metrics.gauge("billing_db_pool_pending_threads", "Threads waiting for a connection",
                () -> poolBean(pool).getThreadsAwaitingConnection());
        SettlementMetrics settlements = billing.settlementMetrics();
        metrics.counter("billing_settlements_total", "Settlement requests committed", settlements::settledCount);
        metrics.counter("billing_settlement_batches_total", "Settlement transactions committed", settlements::batchCount);
        metrics.gauge("billing_settlement_queue_depth", "Settlement calls waiting", settlements::queued);
        metrics.counter("billing_settlements_dropped_total",
                "Settlement calls dropped unwritten because their caller had timed out", settlements::abandonedCount);
    }

    private static HikariPoolMXBean poolBean(HikariDataSource pool) {
        return pool.getHikariPoolMXBean();
    }

    public int port() {
        return lifecycle.port();
    }

    public Billing billing() {
        return billing;
    }

    public ServerConfig config() {
        return config;
    }

    public List<InternalCredential> internalCredentials() {
        return credentials;
    }

    public boolean usesLocalCheckout() {
        return payments.local();
    }

    public void closeOnShutdown() {
        lifecycle.closeOnShutdown();
    }

    @Override
    public void close() {
        lifecycle.close();
    }
}
