package io.agentbilling.jdbc.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.agentbilling.embedded.postgres.EmbeddedDatabase;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.core.BaseConnection;

class DataSourcesTest {

    private static final Duration FAIL_FAST_LIMIT = Duration.ofSeconds(6);

    @Test
    void the_pool_is_fixed_size_with_every_option_set_explicitly() {
        DatabaseConfig config = TestDatabases.freshDatabase("pool_settings")
                .withPoolSize(3)
                .withLeakDetectionThreshold(Duration.ofSeconds(5))
                .withPoolName("billing");

        try (HikariDataSource pool = DataSources.create(config)) {
            assertThat(pool.getPoolName()).isEqualTo("billing");
            assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
            assertThat(pool.getMinimumIdle()).isEqualTo(3);
            assertThat(pool.getConnectionTimeout()).isEqualTo(2_000);
            assertThat(pool.getValidationTimeout()).isEqualTo(1_000);
            assertThat(pool.getMaxLifetime()).isEqualTo(Duration.ofMinutes(30).toMillis());
            assertThat(pool.getKeepaliveTime()).isEqualTo(Duration.ofMinutes(2).toMillis());
            assertThat(pool.getLeakDetectionThreshold()).isEqualTo(5_000);
            assertThat(pool.isAutoCommit()).isTrue();
            assertThat(pool.getConnectionTestQuery()).isNull();
            assertThat(pool.getInitializationFailTimeout()).isEqualTo(2_000);
        }
    }

    @Test
    void leak_detection_is_off_unless_configured() {
        DatabaseConfig config = DatabaseConfig.of("jdbc:postgresql://localhost/billing", "billing", "");

        assertThat(DataSources.hikariConfig(config).getLeakDetectionThreshold()).isZero();
    }

    @Test
    void connections_carry_our_driver_settings() throws SQLException {
        DatabaseConfig config = TestDatabases.freshDatabase("driver_settings").withPoolName("billing");

        try (HikariDataSource pool = DataSources.create(config);
             Connection connection = pool.getConnection()) {
            BaseConnection pg = connection.unwrap(BaseConnection.class);
            assertThat(pg.getQueryExecutor().isReWriteBatchedInsertsEnabled()).isTrue();
            assertThat(pg.getQueryExecutor().getApplicationName()).isEqualTo("billing");
            assertThat(connection.getNetworkTimeout()).isEqualTo((int) DataSources.SOCKET_TIMEOUT.toMillis());
            assertThat(connection.getAutoCommit()).isTrue();
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SHOW application_name")) {
                assertThat(row.next()).isTrue();
                assertThat(row.getString(1)).isEqualTo("billing");
            }
        }
    }

    @Test
    void the_pool_opens_all_its_connections_up_front() throws Exception {
        DatabaseConfig config = TestDatabases.freshDatabase("pool_fill").withPoolSize(3).withPoolName("billing-fill");

        try (HikariDataSource pool = DataSources.create(config)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int open;
            int pooled;
            // The server sees a session a moment before HikariCP counts its connection: wait for both.
            do {
                Thread.sleep(50);
                open = sessionsNamed(pool, "billing-fill");
                pooled = pool.getHikariPoolMXBean().getTotalConnections();
            } while ((open < 3 || pooled < 3) && System.nanoTime() < deadline);
            assertThat(open).isEqualTo(3);
            assertThat(pooled).isEqualTo(3);
        }
    }

    @Test
    void a_stopped_database_fails_calls_within_seconds(@TempDir Path tempDir) throws SQLException {
        EmbeddedDatabase database = EmbeddedDatabase.start(tempDir.resolve("data"), 0);
        try (HikariDataSource pool = DataSources.create(DatabaseConfig.of(database.jdbcUrl(), database.user(), database.password()).withPoolSize(2))) {
            database.stop();

            long startNanos = System.nanoTime();
            assertThatThrownBy(() -> {
                try (Connection connection = pool.getConnection();
                     Statement statement = connection.createStatement()) {
                    statement.execute("SELECT 1");
                }
            }).isInstanceOf(SQLException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(FAIL_FAST_LIMIT);

            startNanos = System.nanoTime();
            assertThatThrownBy(() -> DataSources.create(DatabaseConfig.of(database.jdbcUrl(), database.user(), database.password())).close())
                    .isInstanceOf(HikariPool.PoolInitializationException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(FAIL_FAST_LIMIT);
        } finally {
            database.stop();
        }
    }

    @Test
    void a_server_that_accepts_but_never_answers_fails_the_pool_within_seconds() throws IOException {
        // A hung database (or a black-holed network) looks like this: TCP connects, then silence.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            DatabaseConfig config = DatabaseConfig.of(
                    "jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/billing", "billing", "secret");

            long startNanos = System.nanoTime();
            assertThatThrownBy(() -> DataSources.create(config).close())
                    .isInstanceOf(HikariPool.PoolInitializationException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isLessThan(FAIL_FAST_LIMIT);
        }
    }

    private static int sessionsNamed(HikariDataSource pool, String applicationName) throws SQLException {
        try (Connection connection = pool.getConnection();
             PreparedStatement count = connection.prepareStatement(
                     "SELECT count(*) FROM pg_stat_activity"
                             + " WHERE application_name = ? AND datname = current_database()")) {
            count.setString(1, applicationName);
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
