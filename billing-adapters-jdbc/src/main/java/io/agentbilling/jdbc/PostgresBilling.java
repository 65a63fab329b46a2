package io.agentbilling.jdbc;

import io.agentbilling.core.settlement.GroupCommitLimits;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.core.BackgroundJobs;
import io.agentbilling.core.Billing;
import io.agentbilling.core.access.SignInSessions;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.payment.TopupPolicy;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.PaymentGateway;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.SecretSealer;
import io.agentbilling.core.port.WebhookSender;
import io.agentbilling.core.usage.SandboxMeterPolicy;
import io.agentbilling.core.usage.UsageWindow;
import io.agentbilling.core.webhooks.RetrySchedule;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.setup.Migrations;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The engine in-process on PostgreSQL, for JVM services that embed it without the HTTP server, and the wiring the
 * server itself uses, so both run the same engine: migrations, group commit, database timeouts and background jobs.
 *
 * <pre>{@code
 * try (PostgresBilling engine = PostgresBilling.configure()
 *         .dataSource(dataSource)            // or .url(jdbcUrl, user, password): the engine then owns a pool
 *         .schema("billing")
 *         .start()) {
 *     Billing billing = engine.billing();
 *     billing.settleModelUsage().execute(...);
 * }
 * }</pre>
 *
 * <p>Defaults are the server's: settlements coalesced by group commit ({@link GroupCommitLimits#defaults()}: a caller waits
 * at most 1 s, then gets {@code UNAVAILABLE} and may retry with the same key), every transaction bounded by a 1 s
 * lock timeout and a 5 s statement timeout ({@link #DEFAULT_TIMEOUTS}), the background jobs on a thread of the
 * engine's own at the server's intervals, the system clock, the built-in price catalog and no payment gateway.
 *
 * <p>{@link Configuration#start()} migrates the schema first ({@link Migrations}; safe when several instances start at
 * once), then builds the engine and starts its jobs. {@link #close()} stops the jobs, writes the queued settlements and
 * closes the pool if the engine created it (never a data source the host passed in), each step even when another
 * failed. Thread-safe.
 */
public final class PostgresBilling implements AutoCloseable {

    /** The server's database timeouts: {@code lock_timeout} 1 s, {@code statement_timeout} 5 s, per transaction. */
    public static final JdbiTransactions.Timeouts DEFAULT_TIMEOUTS =
            new JdbiTransactions.Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(5));

    private final Billing billing;
    private final DataSource dataSource;
    private final Migrations.Settings migrations;

    private PostgresBilling(Billing billing, DataSource dataSource, Migrations.Settings migrations) {
        this.billing = billing;
        this.dataSource = dataSource;
        this.migrations = migrations;
    }

    /**
     * A configuration at the defaults; give it a data source or a URL, then {@link Configuration#start()}.
     */
    public static Configuration configure() {
        return new Configuration();
    }

    /**
     * The engine: every use case.
     */
    public Billing billing() {
        return billing;
    }

    /**
     * The data source the engine runs on: the host's, or the pool it created from a URL or {@link DatabaseConfig} (a
     * {@code HikariDataSource}, e.g. for pool metrics; the engine closes it).
     */
    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * The schema and history table the billing tables were migrated with.
     */
    public Migrations.Settings migrations() {
        return migrations;
    }

    /**
     * Stops the background jobs, lets the group-commit writers finish what is queued, then closes the pool the engine
     * created; each step runs even when an earlier one failed. Idempotent.
     *
     * @throws IllegalStateException the first failure, with the others suppressed in it
     */
    @Override
    public void close() {
        billing.close();
    }

    @Override
    public String toString() {
        return "PostgresBilling[schema=" + migrations.schemaName().orElse("(current)") + ", history="
                + migrations.historyTable() + "]";
    }

    /** What {@link #configure()} returns: set what differs from the defaults, then {@link #start()}. Not thread-safe. */
    public static final class Configuration {
        private DataSource dataSource;
        private DatabaseConfig database;
        private Migrations.Settings migrations = Migrations.Settings.DEFAULT;
        private boolean migrate = true;
        private Clock clock = Clock.systemUTC();
        private IdGenerator ids;
        private PriceBook priceBook;
        private PaymentGateway paymentGateway;
        private TopupPolicy topupPolicy;
        private AutoTopupPolicy autoTopupPolicy;
        private SignInSessions signInSessions;
        private UsageWindow usageWindow;
        private SandboxMeterPolicy sandboxPolicy;
        private GroupCommitLimits groupCommit = GroupCommitLimits.defaults();
        private JdbiTransactions.Timeouts timeouts = DEFAULT_TIMEOUTS;
        private BackgroundJobs.Settings backgroundJobs = BackgroundJobs.Settings.onOwnThread();
        private Consumer<AutoTopupAttempt> onAutoTopupAttempt;
        private WebhookSender webhookSender;
        private SecretSealer secretSealer;
        private RetrySchedule webhookRetries;

        private Configuration() {
        }

        /**
         * Runs on the host's data source (a pool, ideally), which the host keeps owning and closes after the engine.
         * With a {@link #schema} set, every transaction sets it as its search path ({@code SET LOCAL}), so the
         * host's connections are left as they were.
         */
        public Configuration dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.database = null;
            return this;
        }

        /**
         * Runs on a pool the engine creates (10 connections, see {@link DatabaseConfig#of}) and closes.
         */
        public Configuration url(String jdbcUrl, String user, String password) {
            return database(DatabaseConfig.of(jdbcUrl, user, password));
        }

        /**
         * Runs on a pool the engine creates with these settings and closes.
         */
        public Configuration database(DatabaseConfig database) {
            this.database = Objects.requireNonNull(database, "database");
            this.dataSource = null;
            return this;
        }

        /**
         * The schema of the billing tables, created if missing (default: the connections' current schema, usually
         * {@code public}). A schema of its own keeps them apart from the host's tables; see {@link Migrations}.
         */
        public Configuration schema(String schema) {
            this.migrations = migrations.withSchema(Objects.requireNonNull(schema, "schema"));
            return this;
        }

        /**
         * The table recording the billing migrations (default {@value Migrations#DEFAULT_HISTORY_TABLE}).
         */
        public Configuration historyTable(String historyTable) {
            this.migrations = migrations.withHistoryTable(historyTable);
            return this;
        }

        /**
         * Whether {@link #start()} migrates the schema (default true); off when a deployment step does it.
         */
        public Configuration migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /**
         * @param clock the clock that tells the time
         */
        public Configuration clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param ids the source of ids and secrets
         */
        public Configuration ids(IdGenerator ids) {
            this.ids = Objects.requireNonNull(ids, "ids");
            return this;
        }

        /**
         * @param priceBook the prices in force
         */
        public Configuration priceBook(PriceBook priceBook) {
            this.priceBook = Objects.requireNonNull(priceBook, "priceBook");
            return this;
        }

        /**
         * E.g. {@code StripePaymentGateway} from {@code billing-adapters-stripe}; none by default (top-ups fail).
         */
        public Configuration paymentGateway(PaymentGateway paymentGateway) {
            this.paymentGateway = Objects.requireNonNull(paymentGateway, "paymentGateway");
            return this;
        }

        public Configuration topupPolicy(TopupPolicy topupPolicy) {
            this.topupPolicy = Objects.requireNonNull(topupPolicy, "topupPolicy");
            return this;
        }

        public Configuration autoTopupPolicy(AutoTopupPolicy autoTopupPolicy) {
            this.autoTopupPolicy = Objects.requireNonNull(autoTopupPolicy, "autoTopupPolicy");
            return this;
        }

        public Configuration sandboxPolicy(SandboxMeterPolicy sandboxPolicy) {
            this.sandboxPolicy = Objects.requireNonNull(sandboxPolicy, "sandboxPolicy");
            return this;
        }

        /**
         * The time window of usage: how old a usage timestamp may be, and how far past the clock a sandbox settlement
         * may reach (default {@link UsageWindow#DEFAULT}).
         */
        public Configuration usageWindow(UsageWindow usageWindow) {
            this.usageWindow = Objects.requireNonNull(usageWindow, "usageWindow");
            return this;
        }

        /**
         * How long a sign-in session lives (default {@link SignInSessions#DEFAULT_LIFETIME}).
         */
        public Configuration signInSessions(SignInSessions signInSessions) {
            this.signInSessions = Objects.requireNonNull(signInSessions, "signInSessions");
            return this;
        }

        /**
         * Settlements coalesced by group commit with these limits (default {@link GroupCommitLimits#defaults()}).
         */
        public Configuration groupCommit(GroupCommitLimits limits) {
            this.groupCommit = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Each settlement commits in its own transaction on the caller's thread, without group commit.
         */
        public Configuration directSettlement() {
            this.groupCommit = null;
            return this;
        }

        /**
         * Lock and statement timeouts of every transaction (default {@link #DEFAULT_TIMEOUTS}).
         *
         * @param timeouts the lock and statement timeouts
         */
        public Configuration timeouts(JdbiTransactions.Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /**
         * Where and how often the background jobs run (default: a thread of the engine's own).
         */
        public Configuration backgroundJobs(BackgroundJobs.Settings settings) {
            this.backgroundJobs = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * No background jobs: the host then runs {@code runAutoTopups}, {@code expireGrants} and
         * {@code settleSilentSandboxes} itself (e.g. on one instance of many, or from its own scheduler framework).
         */
        public Configuration withoutBackgroundJobs() {
            this.backgroundJobs = null;
            return this;
        }

        /**
         * What sends outbound webhooks (see {@link Billing.Builder#webhookSender}); without one, events and
         * deliveries are recorded and every attempt fails until a sender is configured. The HTTP sender the server
         * uses is {@code io.agentbilling.webhooks.HttpWebhookSender} of {@code billing-adapters-webhooks}: signed
         * POSTs, and no private, loopback or link-local target unless its {@code WebhookTargets} allow them. The
         * background jobs (on by default) send what is due.
         *
         * @param sender the sender
         *
         * @return this configuration
         */
        public Configuration webhookSender(WebhookSender sender) {
            this.webhookSender = Objects.requireNonNull(sender, "sender");
            return this;
        }

        /**
         * How webhook signing secrets are kept at rest (see {@link Billing.Builder#secretSealer}).
         *
         * @return this configuration
         */
        public Configuration secretSealer(SecretSealer sealer) {
            this.secretSealer = Objects.requireNonNull(sealer, "sealer");
            return this;
        }

        /**
         * When failed webhook deliveries are tried again (see {@link Billing.Builder#webhookRetries}).
         *
         * @return this configuration
         */
        public Configuration webhookRetries(RetrySchedule schedule) {
            this.webhookRetries = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /**
         * Told when a settlement starts an auto top-up attempt (the background jobs are woken anyway).
         *
         * @return the on auto topup attempt
         */
        public Configuration onAutoTopupAttempt(Consumer<AutoTopupAttempt> listener) {
            this.onAutoTopupAttempt = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Opens the pool (when given a URL), migrates, builds the engine and starts its jobs. On failure, closes what
         * it had opened and rethrows, with any failure to close suppressed in it.
         *
         * @throws IllegalStateException when neither a data source nor a URL was given
         */
        public PostgresBilling start() {
            if (dataSource == null && database == null) {
                throw new IllegalStateException("give the engine a dataSource(...) or a url(...) first");
            }
            List<AutoCloseable> opened = new ArrayList<>();
            try {
                DataSource runOn = dataSource;
                String searchPath = migrations.schema();
                if (runOn == null) {
                    HikariConfig pool = DataSources.hikariConfig(database);
                    if (migrations.schema() != null) {
                        pool.setSchema(migrations.schema()); // on every connection: no per-transaction cost
                        searchPath = null;
                    }
                    HikariDataSource created = new HikariDataSource(pool);
                    opened.add(created);
                    runOn = created;
                }
                if (migrate) {
                    Migrations.migrate(runOn, migrations);
                }
                JdbiTransactions transactions =
                        new JdbiTransactions(JdbiTransactions.jdbi(runOn), timeouts, searchPath);
                Billing billing = builder(transactions, opened).build();
                return new PostgresBilling(billing, runOn, migrations);
            } catch (RuntimeException e) {
                for (int i = opened.size() - 1; i >= 0; i--) {
                    try {
                        opened.get(i).close();
                    } catch (Exception closing) {
                        e.addSuppressed(closing);
                    }
                }
                throw e;
            }
        }

        private Billing.Builder builder(JdbiTransactions transactions, List<AutoCloseable> owned) {
            Billing.Builder builder = Billing.builder(transactions, clock);
            if (groupCommit != null) {
                builder.groupCommit(groupCommit);
            }
            if (ids != null) {
                builder.ids(ids);
            }
            if (priceBook != null) {
                builder.priceBook(priceBook);
            }
            if (paymentGateway != null) {
                builder.paymentGateway(paymentGateway);
            }
            if (topupPolicy != null) {
                builder.topupPolicy(topupPolicy);
            }
            if (autoTopupPolicy != null) {
                builder.autoTopupPolicy(autoTopupPolicy);
            }
            if (sandboxPolicy != null) {
                builder.sandboxPolicy(sandboxPolicy);
            }
            if (usageWindow != null) {
                builder.usageWindow(usageWindow);
            }
            if (signInSessions != null) {
                builder.signInSessions(signInSessions);
            }
            if (backgroundJobs != null) {
                builder.backgroundJobs(backgroundJobs);
            }
            if (onAutoTopupAttempt != null) {
                builder.onAutoTopupAttempt(onAutoTopupAttempt);
            }
            if (webhookSender != null) {
                builder.webhookSender(webhookSender);
            }
            if (secretSealer != null) {
                builder.secretSealer(secretSealer);
            }
            if (webhookRetries != null) {
                builder.webhookRetries(webhookRetries);
            }
            owned.forEach(builder::closeWith);
            return builder;
        }
    }
}
