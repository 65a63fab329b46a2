package io.agentbilling.jdbc.setup;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the billing database is and how big its connection pool is. Validates itself, so a {@code DatabaseConfig}
 * that exists can be turned into a pool without further checks (see {@link DataSources#create}).
 *
 * @param jdbcUrl                a {@code jdbc:postgresql:} URL; driver properties in its query string win over the
 *                               defaults of {@link DataSources}
 * @param user                   the role to log in as
 * @param password               may be empty (the embedded database trusts local connections), never null
 * @param poolSize               the fixed number of connections, 1 to {@value #MAX_POOL_SIZE}; keep it small
 *                               (HikariCP's pool-sizing advice: a few connections per CPU core of the database
 *                               server)
 * @param connectionTimeout      how long a caller waits for a pooled connection before failing; short, so that overload
 *                               fails fast (a 503) instead of queueing
 * @param leakDetectionThreshold how long a connection may stay borrowed before HikariCP logs a leak warning; null
 *                               turns leak detection off
 * @param poolName               names the pool's threads and log lines, and becomes the PostgreSQL
 *                               {@code application_name}
 */
public record DatabaseConfig(
        String jdbcUrl,
        String user,
        String password,
        int poolSize,
        Duration connectionTimeout,
        Duration leakDetectionThreshold,
        String poolName) {

    public static final int DEFAULT_POOL_SIZE = 10;
    public static final int MAX_POOL_SIZE = 100;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(500);
    public static final Duration MAX_CONNECTION_TIMEOUT = Duration.ofSeconds(30);
    /** HikariCP's own floor for leak detection. */
    public static final Duration MIN_LEAK_DETECTION_THRESHOLD = Duration.ofSeconds(2);
    /** Leak detection must fire before HikariCP retires the connection ({@link DataSources#MAX_LIFETIME}). */
    public static final Duration MAX_LEAK_DETECTION_THRESHOLD = DataSources.MAX_LIFETIME.minusSeconds(1);
    public static final String DEFAULT_POOL_NAME = "billing";
    private static final int MAX_POOL_NAME_LENGTH = 63; // PostgreSQL truncates application_name beyond this

    public DatabaseConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(poolName, "poolName");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql: but was " + redact(jdbcUrl));
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new IllegalArgumentException("poolSize must be 1.." + MAX_POOL_SIZE + " but was " + poolSize);
        }
        if (connectionTimeout.compareTo(MIN_CONNECTION_TIMEOUT) < 0
                || connectionTimeout.compareTo(MAX_CONNECTION_TIMEOUT) > 0) {
            throw new IllegalArgumentException("connectionTimeout must be " + MIN_CONNECTION_TIMEOUT + ".."
                    + MAX_CONNECTION_TIMEOUT + " but was " + connectionTimeout);
        }
        if (leakDetectionThreshold != null
                && (leakDetectionThreshold.compareTo(MIN_LEAK_DETECTION_THRESHOLD) < 0
                    || leakDetectionThreshold.compareTo(MAX_LEAK_DETECTION_THRESHOLD) > 0)) {
            throw new IllegalArgumentException("leakDetectionThreshold must be null or " + MIN_LEAK_DETECTION_THRESHOLD
                    + ".." + MAX_LEAK_DETECTION_THRESHOLD + " but was " + leakDetectionThreshold);
        }
        if (poolName.isBlank() || poolName.length() > MAX_POOL_NAME_LENGTH
                || !poolName.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw new IllegalArgumentException(
                    "poolName must be 1.." + MAX_POOL_NAME_LENGTH + " printable ASCII characters without spaces");
        }
    }

    /**
     * The defaults: {@value #DEFAULT_POOL_SIZE} connections, a 2 s connection timeout, no leak detection.
     */
    public static DatabaseConfig of(String jdbcUrl, String user, String password) {
        return new DatabaseConfig(jdbcUrl, user, password, DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT, null,
                DEFAULT_POOL_NAME);
    }

    /**
     * A copy with another pool size.
     */
    public DatabaseConfig withPoolSize(int newPoolSize) {
        return new DatabaseConfig(jdbcUrl, user, password, newPoolSize, connectionTimeout, leakDetectionThreshold,
                poolName);
    }

    /**
     * A copy with another connection timeout.
     */
    public DatabaseConfig withConnectionTimeout(Duration newConnectionTimeout) {
        return new DatabaseConfig(jdbcUrl, user, password, poolSize, newConnectionTimeout, leakDetectionThreshold,
                poolName);
    }

    /**
     * {@code null} turns leak detection off.
     */
    public DatabaseConfig withLeakDetectionThreshold(Duration newLeakDetectionThreshold) {
        return new DatabaseConfig(jdbcUrl, user, password, poolSize, connectionTimeout, newLeakDetectionThreshold,
                poolName);
    }

    /**
     * A copy with another pool name.
     */
    public DatabaseConfig withPoolName(String newPoolName) {
        return new DatabaseConfig(jdbcUrl, user, password, poolSize, connectionTimeout, leakDetectionThreshold,
                newPoolName);
    }

    public Optional<Duration> leakDetection() {
        return Optional.ofNullable(leakDetectionThreshold);
    }

    /** Never shows the password, neither the field nor a {@code password=} parameter in the URL. */
    @Override
    public String toString() {
        return "DatabaseConfig[jdbcUrl=" + redact(jdbcUrl) + ", user=" + user + ", password=***, poolSize=" + poolSize
                + ", connectionTimeout=" + connectionTimeout + ", leakDetectionThreshold=" + leakDetectionThreshold
                + ", poolName=" + poolName + "]";
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***");
    }
}
