package io.agentbilling.jdbc.setup;

import java.util.Arrays;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database schema up to date with Flyway, at start-up, before the server takes traffic.
 *
 * <p>Safe to run from several server instances at once against one database: Flyway serialises them with a
 * PostgreSQL advisory lock, so one applies the pending migrations and the others find nothing left to do. A fresh
 * database and an up-to-date one both start cleanly; a changed or missing migration that was already applied fails
 * the start (validation on migrate), because it means the schema no longer matches the code.
 *
 * <p>Stateless and thread-safe.
 */
public final class Migrations {

    /** The billing schema: {@code src/main/resources/db/migration/V<n>__<description>.sql}. */
    public static final String DEFAULT_LOCATION = "classpath:db/migration";

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    /** Applies the billing schema's pending migrations; returns how many were applied. */
    public static int migrate(DataSource dataSource) {
        return migrate(dataSource, DEFAULT_LOCATION);
    }

    /**
     * Applies the pending migrations found in {@code locations} (Flyway location syntax, e.g.
     * {@code classpath:db/migration}); returns how many were applied. Every location must exist.
     */
    public static int migrate(DataSource dataSource, String... locations) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(locations, "locations");
        if (locations.length == 0) {
            throw new IllegalArgumentException("at least one migration location is required");
        }
        MigrateResult result = flyway(dataSource, locations).migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        LOG.info("Database schema at version {}: {} migration(s) applied from {}", version == null ? "(none)" : version,
                result.migrationsExecuted, Arrays.toString(locations));
        return result.migrationsExecuted;
    }

    private static Flyway flyway(DataSource dataSource, String... locations) {
        return Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(locations)
                // A location that is not on the classpath is a packaging mistake, not an empty schema.
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .validateOnMigrate(true)
                // Never adopt an unknown, non-empty schema as "version 1", never apply an older migration late,
                // and never let anyone wipe the ledger through Flyway.
                .baselineOnMigrate(false)
                .outOfOrder(false)
                .cleanDisabled(true)
                // Each migration is its own transaction; a failed one leaves the schema at the previous version.
                .group(false)
                .mixed(false)
                .load();
    }
}
