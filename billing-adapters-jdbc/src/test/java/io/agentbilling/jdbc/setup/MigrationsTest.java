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
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.Test;

class MigrationsTest {

    /** Three migrations that fail or duplicate data when applied twice; see src/test/resources/db/test-migration. */
    private static final String TEST_MIGRATIONS = "classpath:db/test-migration";
    private static final int TEST_MIGRATION_COUNT = 3;
    /** The billing migrations this build ships ("1", "2", …), read from the migration location itself. */
    private static final List<String> BILLING_VERSIONS = billingVersions();
    private static final int BILLING_MIGRATION_COUNT = BILLING_VERSIONS.size();

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

    @Test
    void the_billing_tables_and_history_go_to_the_configured_schema_and_table() throws SQLException {
        try (HikariDataSource pool = DataSources.create(TestDatabases.freshDatabase("own_schema"))) {
            Migrations.Settings settings = new Migrations.Settings("billing", "engine_history");

            assertThat(Migrations.migrate(pool, settings)).isEqualTo(BILLING_MIGRATION_COUNT);

            assertThat(queryLong(pool, "SELECT count(*) FROM pg_tables WHERE schemaname = 'billing'"
                    + " AND tablename IN ('ledger_entries', 'orgs', 'engine_history')")).isEqualTo(3);
            assertThat(queryLong(pool, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
            assertThat(Migrations.migrate(pool, settings)).isZero();
        }
    }

    @Test
    void an_application_with_its_own_flyway_v1_migrates_beside_the_billing_schema_in_either_order() throws Exception {
        // Billing in the application's schema (public), the application first: its history is left alone.
        try (HikariDataSource pool = DataSources.create(TestDatabases.freshDatabase("beside_app_public"))) {
            assertThat(applicationFlyway(pool).load().migrate().migrationsExecuted).isEqualTo(TEST_MIGRATION_COUNT);
            assertThat(Migrations.migrate(pool)).isEqualTo(BILLING_MIGRATION_COUNT);

            assertThat(applicationFlyway(pool).load().migrate().migrationsExecuted).isZero();
            assertThat(Migrations.migrate(pool)).isZero();
            assertThat(versions(pool, "flyway_schema_history")).containsExactly("1", "2", "3");
            List<String> history = versions(pool, "billing_schema_history");
            assertThat(history.get(0)).isEqualTo("0");
            assertThat(history.subList(1, history.size())).containsExactlyElementsOf(BILLING_VERSIONS);
            assertThat(queryLong(pool, "SELECT count(*) FROM probe")).isEqualTo(1);
        }
        // Billing in a schema of its own, billing first: the application still finds an empty default schema.
        try (HikariDataSource pool = DataSources.create(TestDatabases.freshDatabase("beside_app_own_schema"))) {
            Migrations.Settings billing = Migrations.Settings.DEFAULT.withSchema("billing");
            assertThat(Migrations.migrate(pool, billing)).isEqualTo(BILLING_MIGRATION_COUNT);
            assertThat(applicationFlyway(pool).load().migrate().migrationsExecuted).isEqualTo(TEST_MIGRATION_COUNT);

            assertThat(Migrations.migrate(pool, billing)).isZero();
            assertThat(applicationFlyway(pool).load().migrate().migrationsExecuted).isZero();
        }
    }

    @Test
    void a_database_migrated_by_an_earlier_version_keeps_its_data_and_history() throws SQLException {
        try (HikariDataSource pool = DataSources.create(TestDatabases.freshDatabase("earlier_version"))) {
            // What versions before the own history table did: Flyway's defaults for everything but the location.
            Flyway.configure().dataSource(pool).locations(Migrations.LOCATION).load().migrate();
            execute(pool, "INSERT INTO orgs (org_id, name, plan, created_at) VALUES"
                    + " ('00000000-0000-0000-0000-0000000000aa', 'Earlier', 'free', now())");

            assertThat(Migrations.migrate(pool)).isZero();

            assertThat(versions(pool, "billing_schema_history")).containsExactlyElementsOf(BILLING_VERSIONS);
            assertThat(queryLong(pool, "SELECT count(*) FROM pg_tables WHERE tablename = 'flyway_schema_history'"))
                    .isZero();
            assertThat(queryLong(pool, "SELECT count(*) FROM orgs WHERE name = 'Earlier'")).isEqualTo(1);
            // The application may now start its own Flyway with Flyway's default table and index names.
            assertThat(applicationFlyway(pool).baselineOnMigrate(true).baselineVersion("0").load().migrate()
                    .migrationsExecuted).isEqualTo(TEST_MIGRATION_COUNT);
            assertThat(Migrations.migrate(pool)).isZero();
        }
    }

    @Test
    void a_history_mixing_billing_and_other_migrations_stops_the_start_with_instructions() throws SQLException {
        try (HikariDataSource pool = DataSources.create(TestDatabases.freshDatabase("mixed_history"))) {
            Flyway.configure().dataSource(pool).locations(Migrations.LOCATION).load().migrate();
            int next = BILLING_MIGRATION_COUNT + 1;
            execute(pool, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES (" + next + ", '" + next + "',"
                    + " 'someone elses', 'SQL', 'V" + next + "__someone_elses.sql', 1, 'app', 1, true)");

            assertThatThrownBy(() -> Migrations.migrate(pool))
                    .isInstanceOf(FlywayException.class)
                    .hasMessageContaining("together with other or failed migrations");
            assertThat(queryLong(pool, "SELECT count(*) FROM pg_tables WHERE tablename = 'flyway_schema_history'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void schema_and_history_table_names_must_be_plain_identifiers() {
        assertThatThrownBy(() -> new Migrations.Settings("billing; DROP TABLE orgs", "history"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Migrations.Settings("billing", "History"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> billingVersions() {
        String location = Migrations.LOCATION.substring("classpath:".length());
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(java.nio.file.Path.of(
                java.util.Objects.requireNonNull(MigrationsTest.class.getClassLoader().getResource(location), location)
                        .toURI()))) {
            List<String> versions = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.*\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__")))
                    .sorted(java.util.Comparator.comparingInt(Integer::parseInt))
                    .toList();
            if (versions.isEmpty()) {
                throw new IllegalStateException("no billing migrations at " + location);
            }
            return versions;
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The embedding application's own Flyway, with Flyway's defaults (its own V1__, history flyway_schema_history). */
    private static FluentConfiguration applicationFlyway(DataSource dataSource) {
        return Flyway.configure().dataSource(dataSource).locations(TEST_MIGRATIONS);
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
        return versions(dataSource, Migrations.DEFAULT_HISTORY_TABLE);
    }

    private static List<String> versions(DataSource dataSource, String historyTable) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT version FROM " + historyTable + " WHERE success AND version IS NOT NULL"
                             + " ORDER BY installed_rank")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
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
