package io.agentbilling.http.server;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.agentbilling.core.Billing;
import io.agentbilling.core.ledger.GroupCommitSettler;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.payment.RedirectAllowList;
import io.agentbilling.core.payment.TopupPolicy;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.usage.SandboxMeterPolicy;
import io.agentbilling.http.auth.InternalCredential;
import io.agentbilling.jdbc.JdbiTransactions;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.setup.EmbeddedDatabase;
import io.agentbilling.jdbc.setup.Migrations;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: from a {@link ServerConfig}, the database (embedded PostgreSQL under the data directory when
 * none is configured, kept running by an {@link EmbeddedDatabaseSupervisor}), the pool, the migrations, the payment gateway, the wired {@link Billing} engine, the HTTP
 * server and the background workers — and the order in which they stop (server first, draining requests; then the
 * settlement queue; then the workers, the pool and the database).
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
            if (config.database().isPresent()) {
                ServerConfig.DatabaseConfig db = config.database().get();
                database = DatabaseConfig.of(db.url(), db.user().orElse("postgres"), db.password().orElse(""));
            } else {
                EmbeddedDatabaseSupervisor embedded = new EmbeddedDatabaseSupervisor(
                        EmbeddedDatabase.start(config.dataDir().resolve("postgres"), 0), SUPERVISION_INTERVAL,
                        System::exit);
                started.add(embedded);
                database = embedded.databaseConfig();
            }
            HikariDataSource pool = DataSources.create(database.withPoolSize(config.dbPoolSize())
                    .withConnectionTimeout(config.dbConnectionTimeout()));
            started.add(pool);
            Migrations.migrate(pool);
            JdbiTransactions transactions = new JdbiTransactions(JdbiTransactions.jdbi(pool),
                    new JdbiTransactions.Timeouts(config.dbLockTimeout(), config.dbStatementTimeout()));

            PaymentWiring payments = PaymentWiring.from(config);
            if (payments.local()) {
                LOG.warn("payments: no {} is set, so top-ups go through the local checkout page ({}/checkout/…), "
                        + "which takes no money: any org admin can add credit. Set it before going live.",
                        ServerConfig.STRIPE_SECRET_KEY, config.publicUrl());
            }
            BackgroundWorkers[] workers = new BackgroundWorkers[1];
            Billing billing = Billing.builder(transactions)
                    .clock(Clock.systemUTC())
                    .priceBook(priceBook)
                    .paymentGateway(payments.gateway())
                    .topupPolicy(topupPolicy(config))
                    .autoTopupPolicy(new AutoTopupPolicy(config.topupMaxCents(), config.autoTopupMaxFailures(), 5,
                            config.autoTopupRetryBackoff(), Duration.ofMinutes(5)))
                    .sandboxPolicy(new SandboxMeterPolicy(config.sandboxHeartbeatTimeout(), config.sandboxGracePeriod()))
                    .usageWindow(config.usageWindow())
                    .groupCommit(config.settlement())
                    .onAutoTopupAttempt(attempt -> {
                        if (workers[0] != null) {
                            workers[0].wakeAutoTopups();
                        }
                    })
                    .build();
            workers[0] = new BackgroundWorkers(billing);
            started.add(workers[0]);
            started.add(billing);

            HttpMetrics metrics = new HttpMetrics();
            registerMetrics(metrics, pool, billing);
            List<InternalCredential> credentials = config.effectiveInternalCredentials();
            HttpDependencies dependencies = new HttpDependencies(key -> billing.authenticateApiKey().execute(key),
                    credentials, () -> transactions.jdbi().useHandle(h -> h.execute("SELECT 1")), metrics);
            Javalin app = BillingHttpServer.create(HttpServerSettings.from(config), dependencies,
                    RouteGroups.all(billing, config, payments));
            ServerLifecycle lifecycle = ServerLifecycle.start(app, started.toArray(AutoCloseable[]::new));
            workers[0].start(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(30));
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

    static TopupPolicy topupPolicy(ServerConfig config) {
        String base = config.publicUrl().replaceAll("/+$", "");
        LinkedHashSet<String> origins = new LinkedHashSet<>(config.allowedRedirectOrigins());
        return new TopupPolicy(config.topupMaxCents(), base + "/checkout/success", base + "/checkout/cancelled",
                new RedirectAllowList(origins));
    }

    private static void registerMetrics(HttpMetrics metrics, HikariDataSource pool, Billing billing) {
        metrics.gauge("billing_db_pool_active_connections", "Connections in use", () -> poolBean(pool).getActiveConnections());
        metrics.gauge("billing_db_pool_idle_connections", "Idle connections", () -> poolBean(pool).getIdleConnections());
        metrics.gauge("billing_db_pool_pending_threads", "Threads waiting for a connection",
                () -> poolBean(pool).getThreadsAwaitingConnection());
        GroupCommitSettler queue = billing.groupCommit();
        if (queue != null) {
            metrics.gauge("billing_settlements_total", "Settlement requests committed", queue::settledCount);
            metrics.gauge("billing_settlement_batches_total", "Settlement transactions committed", queue::batchCount);
            metrics.gauge("billing_settlement_queue_depth", "Settlement calls waiting", queue::queued);
            metrics.gauge("billing_settlements_dropped_total",
                    "Settlement calls dropped unwritten because their caller had timed out", queue::abandonedCount);
        }
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
