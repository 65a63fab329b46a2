package io.agentbilling.jdbc.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.setup.Migrations;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh database for one test class, with a pool on it, optionally migrated; dropped after the class. Register it
 * on a <em>static</em> field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestDatabaseExtension DATABASE = TestDatabaseExtension.migrated();
 * ...
 * Jdbi jdbi = Jdbi.create(DATABASE.dataSource());
 * }</pre>
 *
 * <p>Not thread-safe while the class starts and ends; its accessors may be used from any thread in between.
 */
public final class TestDatabaseExtension implements BeforeAllCallback, AfterAllCallback {

    private final List<String> migrationLocations;
    private volatile DatabaseConfig config;
    private volatile HikariDataSource dataSource;

    private TestDatabaseExtension(List<String> migrationLocations) {
        this.migrationLocations = List.copyOf(migrationLocations);
    }

    /** An empty database. */
    public static TestDatabaseExtension empty() {
        return new TestDatabaseExtension(List.of());
    }

    /** A database with the billing schema ({@link Migrations#LOCATION}). */
    public static TestDatabaseExtension migrated() {
        return migrated(Migrations.LOCATION);
    }

    /** A database with the migrations of {@code locations} applied. */
    public static TestDatabaseExtension migrated(String... locations) {
        if (locations.length == 0) {
            throw new IllegalArgumentException("at least one migration location is required");
        }
        return new TestDatabaseExtension(List.of(locations));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        config = TestDatabases.freshDatabase(context.getRequiredTestClass().getSimpleName());
        dataSource = DataSources.create(config);
        if (migrationLocations.equals(List.of(Migrations.LOCATION))) {
            Migrations.migrate(dataSource);
        } else if (!migrationLocations.isEmpty()) {
            Migrations.migrate(dataSource, migrationLocations.toArray(String[]::new));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (dataSource != null) {
                dataSource.close();
            }
        } finally {
            if (config != null) {
                TestDatabases.dropDatabase(config);
            }
            dataSource = null;
            config = null;
        }
    }

    /** The database's configuration, e.g. to open a second pool as a second server instance would. */
    public DatabaseConfig config() {
        return requireStarted(config);
    }

    /** The class's pool on the database ({@value TestDatabases#TEST_POOL_SIZE} connections). */
    public HikariDataSource dataSource() {
        return requireStarted(dataSource);
    }

    private static <T> T requireStarted(T value) {
        if (value == null) {
            throw new IllegalStateException(
                    "TestDatabaseExtension is not started: register it with @RegisterExtension on a static field");
        }
        return value;
    }
}
