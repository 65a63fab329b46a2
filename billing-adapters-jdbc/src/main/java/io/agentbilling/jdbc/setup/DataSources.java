package io.agentbilling.jdbc.setup;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/**
 * Builds the HikariCP pool for a {@link DatabaseConfig}. Every pool option is set here explicitly, so that reading
 * this class tells the whole story and a HikariCP upgrade that changes a default changes nothing for us.
 *
 * <p>Stateless and thread-safe. The caller owns the returned pool and closes it on shutdown.
 */
public final class DataSources {

    /** Retire connections before any server- or network-side limit kills them mid-use. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(30);
    /** Pings idle connections so that NAT tables and load balancers do not drop them silently. */
    public static final Duration KEEPALIVE_TIME = Duration.ofMinutes(2);
    /** How long HikariCP's aliveness check of a connection may take; below the connection timeout. */
    public static final Duration MAX_VALIDATION_TIMEOUT = Duration.ofSeconds(1);
    /**
     * pgjdbc read timeout: a statement whose server went silent (a dead host, a black-holed network) fails after this
     * instead of blocking its thread for the kernel's TCP retry time (about a quarter of an hour). Far above any
     * statement the billing engine issues; a future long-running migration needs its own data source.
     */
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private DataSources() {
    }

    /**
     * A started, fixed-size pool. Fails within about {@code connectionTimeout} (plus one login attempt) when the
     * database cannot be reached, so a misconfigured server stops at boot with the driver's error rather than later.
     *
     * @param config the settings
     */
    public static HikariDataSource create(DatabaseConfig config) {
        return new HikariDataSource(hikariConfig(config));
    }

    /**
     * The configuration {@link #create} uses, unstarted; exposed for tests and diagnostics.
     *
     * @param config the settings
     */
    public static HikariConfig hikariConfig(DatabaseConfig config) {
        long connectionTimeoutMillis = config.connectionTimeout().toMillis();
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(config.poolName());
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());

        // A fixed-size pool (HikariCP's recommendation for spiky load): no idle connections to retire or re-create.
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(config.poolSize());
        hikari.setConnectionTimeout(connectionTimeoutMillis);
        hikari.setValidationTimeout(Math.min(MAX_VALIDATION_TIMEOUT.toMillis(), connectionTimeoutMillis / 2));
        hikari.setMaxLifetime(MAX_LIFETIME.toMillis());
        hikari.setKeepaliveTime(KEEPALIVE_TIME.toMillis());
        hikari.setLeakDetectionThreshold(config.leakDetection().map(Duration::toMillis).orElse(0L));
        // Try to open the first connection for this long at construction, then fail: a bad URL or password stops
        // the boot instead of surfacing on the first request.
        hikari.setInitializationFailTimeout(connectionTimeoutMillis);

        // Jdbi opens and ends transactions itself; connections rest in auto-commit, as JDBC defines.
        hikari.setAutoCommit(true);
        hikari.setReadOnly(false);
        hikari.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // Deliberately unset: connectionTestQuery (pgjdbc is a JDBC4 driver; isValid() is the better check) and
        // any statement cache (pgjdbc caches prepared statements per connection itself).
        hikari.setRegisterMbeans(false);
        hikari.setAllowPoolSuspension(false);
        hikari.setIsolateInternalQueries(false);

        addDriverProperties(hikari, config);
        return hikari;
    }

    /** pgjdbc properties; a parameter of the same name in the JDBC URL wins over these. */
    private static void addDriverProperties(HikariConfig hikari, DatabaseConfig config) {
        // Fail fast against a dead or unreachable server: TCP connect and the whole login are bounded by the same
        // budget a caller waits for a pooled connection (rounded up to pgjdbc's whole seconds).
        String loginSeconds = Long.toString(ceilSeconds(config.connectionTimeout()));
        hikari.addDataSourceProperty("connectTimeout", loginSeconds);
        hikari.addDataSourceProperty("loginTimeout", loginSeconds);
        hikari.addDataSourceProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT.toSeconds()));
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        // One multi-row INSERT instead of N statements for JDBC batches: settlement inserts entries in batches.
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        // Shows up in pg_stat_activity and server logs, so a DBA can tell our sessions apart.
        hikari.addDataSourceProperty("ApplicationName", config.poolName());
    }

    private static long ceilSeconds(Duration duration) {
        long seconds = duration.toSeconds();
        return duration.toNanosPart() == 0 ? seconds : seconds + 1;
    }
}
