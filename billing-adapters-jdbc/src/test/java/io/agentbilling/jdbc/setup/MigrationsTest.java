package io.agentbilling.jdbc.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    /** Three migrations that fail or duplicate data when applied twice; see src/test/resources/db/test-migration. */
    private static final String TEST_MIGRATIONS = "classpath:db/test-migration";
    private static final int TEST_MIGRATION_COUNT = 3;

    @Test
    void a_fresh_database_gets_every_migration_and_a_migrated_one_starts_cleanly() throws SQLException {
        try (HikariDataSource pool = DataSources.create(TestDatabases.freshDatabase("migrate_twice"))) {
            assertThat(Migrations.migrate(pool, TEST_MIGRATIONS)).isEqualTo(TEST_MIGRATION_COUNT);

            assertThat(Migrations.migrate(pool, TEST_MIGRATIONS)).isZero();

            assertThat(queryLong(pool, "SELECT count(*) FROM probe")).isEqualTo(1);
            assertThat(appliedVersions(pool)).containsExactly("1", "2", "3");
        }
    }

    @Test
    void two_instances_migrating_one_fresh_database_at_once_apply_each_migration_exactly_once() throws Exception {
        for (int round = 1; round <= 3; round++) {
            DatabaseConfig database = TestDatabases.freshDatabase("migrate_concurrently_" + round);
            try (HikariDataSource first = DataSources.create(database.withPoolSize(2));
                 HikariDataSource second = DataSources.create(database.withPoolSize(2))) {
                List<Integer> applied = migrateAtOnce(first, second);

                assertThat(applied.get(0) + applied.get(1)).as("round " + round).isEqualTo(TEST_MIGRATION_COUNT);
                assertThat(appliedVersions(first)).as("round " + round).containsExactly("1", "2", "3");
                assertThat(queryLong(first, "SELECT count(*) FROM probe")).isEqualTo(1);
            }
        }
    }

    @Test
    void the_billing_schema_location_migrates_and_is_then_up_to_date() {
        try (HikariDataSource pool = DataSources.create(TestDatabases.freshDatabase("billing_schema"))) {
            Migrations.migrate(pool);

            assertThat(Migrations.migrate(pool)).isZero();
        }
    }

    @Test
    void a_missing_location_fails_instead_of_starting_without_a_schema() {
        try (HikariDataSource pool = DataSources.create(TestDatabases.freshDatabase("missing_location"))) {
            assertThatThrownBy(() -> Migrations.migrate(pool, "classpath:db/no-such-location"))
                    .isInstanceOf(FlywayException.class);
        }
    }

    private static List<Integer> migrateAtOnce(DataSource first, DataSource second) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (DataSource instance : List.of(first, second)) {
                results.add(threads.submit(() -> {
                    go.await();
                    return Migrations.migrate(instance, TEST_MIGRATIONS);
                }));
            }
            go.countDown();
            List<Integer> applied = new ArrayList<>();
            for (Future<Integer> result : results) {
                applied.add(result.get(60, TimeUnit.SECONDS));
            }
            return applied;
        } finally {
            threads.shutdownNow();
        }
    }

    private static List<String> appliedVersions(DataSource dataSource) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                             + " ORDER BY installed_rank")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    private static long queryLong(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
