package io.agentbilling.jdbc.setup;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the billing schema up to date with Flyway, at start-up, before the engine takes traffic.
 *
 * <p><b>Beside the host's own migrations.</b> The billing migrations live at {@value #LOCATION}, not at Flyway's
 * default {@code db/migration}, and record themselves in their own history table (by default
 * {@value #DEFAULT_HISTORY_TABLE}, not Flyway's {@code flyway_schema_history}), so an application that embeds the
 * engine keeps its own Flyway setup, with its own {@code V1__}, in the same database. The tables go to the schema of
 * {@link Settings#schema()} (created if missing), or, when none is set, to the connection's current schema
 * ({@code public} on a default PostgreSQL). A schema that already holds other tables (the application's) is fine: the
 * history table is then started at version 0, so every billing migration still runs, and one that finds a table of
 * the same name fails the start rather than adopting it. A schema of its own (e.g. {@code billing}) is the safe
 * choice next to an application whose tables could share a name with ours ({@code orgs}, {@code members}, ...), and
 * it leaves the application's Flyway an empty default schema whatever order the two migrate in.
 *
 * <p><b>Databases of earlier versions.</b> Earlier versions kept this history in Flyway's default table,
 * {@code flyway_schema_history}. When the configured history table does not exist yet and that table holds the billing
 * migrations and nothing else, it is renamed (with its primary key and index) to the configured name, under a
 * transaction-scoped advisory lock so that instances starting together do it once; the scripts are unchanged, so
 * Flyway's validation passes and nothing is re-applied. A {@code flyway_schema_history} without billing migrations
 * belongs to the application and is left alone; one that mixes both fails the start with instructions.
 *
 * <p>Safe to run from several instances at once against one database: Flyway serialises them with a PostgreSQL
 * advisory lock, so one applies the pending migrations and the others find nothing left to do. A changed or missing
 * migration that was already applied fails the start (validation on migrate), because the schema no longer matches
 * the code.
 *
 * <p>Stateless and thread-safe.
 */
public final class Migrations {

    /** The billing schema: {@code src/main/resources/agent-billing/db/migration/V<n>__<description>.sql}. */
    public static final String LOCATION = "classpath:agent-billing/db/migration";
    public static final String DEFAULT_HISTORY_TABLE = "billing_schema_history";
    /** Where versions before the configurable history table recorded the billing migrations (Flyway's default). */
    public static final String LEGACY_HISTORY_TABLE = "flyway_schema_history";

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Serialises the legacy history adoption of concurrent starts; any constant unlikely to be used elsewhere. */
    private static final long ADOPTION_LOCK_KEY = 0x4167656e7442696cL; // "AgentBil"
    private static final Pattern BILLING_SCRIPT = Pattern.compile("V(\\d+)__[a-z0-9_]+\\.sql");

    private Migrations() {
    }

    /**
     * Where the billing tables and their migration history go.
     *
     * @param schema       a plain lower-case PostgreSQL identifier, created if missing; {@code null} for the
     *                     connection's current schema (and no search path set by the engine)
     * @param historyTable a plain lower-case identifier, the table in {@code schema} that records applied migrations
     */
    public record Settings(String schema, String historyTable) {
        public static final Settings DEFAULT = new Settings(null, DEFAULT_HISTORY_TABLE);

        public Settings {
            if (schema != null) {
                requireIdentifier("schema", schema);
            }
            Objects.requireNonNull(historyTable, "historyTable");
            requireIdentifier("historyTable", historyTable);
        }

        public Optional<String> schemaName() {
            return Optional.ofNullable(schema);
        }

        /**
         * A copy with another schema.
         */
        public Settings withSchema(String newSchema) {
            return new Settings(newSchema, historyTable);
        }

        /**
         * A copy with another history table.
         */
        public Settings withHistoryTable(String newHistoryTable) {
            return new Settings(schema, newHistoryTable);
        }
    }

    /**
     * Applies the billing schema's pending migrations with the {@link Settings#DEFAULT defaults}.
     */
    public static int migrate(DataSource dataSource) {
        return migrate(dataSource, Settings.DEFAULT);
    }

    /**
     * Applies the billing schema's pending migrations; returns how many were applied.
     */
    public static int migrate(DataSource dataSource, Settings settings) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(settings, "settings");
        adoptLegacyHistory(dataSource, settings);
        return run(dataSource, settings, LOCATION);
    }

    /**
     * Applies the pending migrations found in {@code locations} (Flyway location syntax, e.g.
     * {@code classpath:db/migration}) with the default settings; returns how many were applied. Every location must
     * exist. For this project's own tests of the migration machinery.
     */
    public static int migrate(DataSource dataSource, String... locations) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(locations, "locations");
        if (locations.length == 0) {
            throw new IllegalArgumentException("at least one migration location is required");
        }
        return run(dataSource, Settings.DEFAULT, locations);
    }

    private static int run(DataSource dataSource, Settings settings, String... locations) {
        MigrateResult result = flyway(dataSource, settings, locations).migrate();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
        LOG.info("Database schema {} at version {}: {} migration(s) applied from {}",
                settings.schemaName().orElse("(current)"), version == null ? "(none)" : version,
                result.migrationsExecuted, Arrays.toString(locations));
        return result.migrationsExecuted;
    }

    private static Flyway flyway(DataSource dataSource, Settings settings, String... locations) {
        FluentConfiguration configuration = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(locations)
                .table(settings.historyTable())
                // A location that is not on the classpath is a packaging mistake, not an empty schema.
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .validateOnMigrate(true)
                // A schema that holds the host application's tables gets our history started at version 0, so every
                // billing migration still runs; a table of ours that exists already fails V1 instead of being adopted.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .baselineDescription("billing history started in a schema with other tables")
                // Never apply an older migration late, and never let anyone wipe the ledger through Flyway.
                .outOfOrder(false)
                .cleanDisabled(true)
                // Each migration is its own transaction; a failed one leaves the schema at the previous version.
                .group(false)
                .mixed(false);
        settings.schemaName().ifPresent(schema -> configuration.schemas(schema).defaultSchema(schema));
        return configuration.load();
    }

    // ---- databases of earlier versions ----

    private record HistoryRow(String version, String script, boolean success) {}

    private static void adoptLegacyHistory(DataSource dataSource, Settings settings) {
        if (settings.historyTable().equals(LEGACY_HISTORY_TABLE)) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                adoptLegacyHistory(connection, settings);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new FlywayException("Could not look for the billing migration history of an earlier version", e);
        }
    }

    private static void adoptLegacyHistory(Connection connection, Settings settings) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, ADOPTION_LOCK_KEY);
            lock.execute();
        }
        String schema = settings.schemaName().isPresent() ? settings.schema() : currentSchema(connection);
        if (schema == null || tableExists(connection, schema, settings.historyTable())
                || !tableExists(connection, schema, LEGACY_HISTORY_TABLE)) {
            return;
        }
        List<HistoryRow> rows = legacyRows(connection, schema);
        List<HistoryRow> billing = rows.stream().filter(row -> isBillingMigration(row.script())).toList();
        if (billing.isEmpty()) {
            return; // the application's own Flyway history
        }
        if (billing.size() != rows.size() || !billing.stream().allMatch(HistoryRow::success)) {
            throw new FlywayException("Table " + schema + "." + LEGACY_HISTORY_TABLE + " records the billing"
                    + " migrations of an earlier version together with other or failed migrations " + rows
                    + "; move the billing rows into a table " + schema + "." + settings.historyTable()
                    + " of the same layout, or configure the history table " + LEGACY_HISTORY_TABLE);
        }
        String from = quote(schema) + "." + quote(LEGACY_HISTORY_TABLE);
        try (Statement rename = connection.createStatement()) {
            rename.execute("ALTER TABLE " + from + " RENAME TO " + quote(settings.historyTable()));
            String table = quote(schema) + "." + quote(settings.historyTable());
            // Flyway names these after the table; left as they were, they would block the application's own
            // flyway_schema_history later (index names are unique per schema).
            if (constraintExists(connection, schema, LEGACY_HISTORY_TABLE + "_pk")) {
                rename.execute("ALTER TABLE " + table + " RENAME CONSTRAINT " + quote(LEGACY_HISTORY_TABLE + "_pk")
                        + " TO " + quote(settings.historyTable() + "_pk"));
            }
            rename.execute("ALTER INDEX IF EXISTS " + quote(schema) + "." + quote(LEGACY_HISTORY_TABLE + "_s_idx")
                    + " RENAME TO " + quote(settings.historyTable() + "_s_idx"));
        }
        LOG.info("Adopted the billing migration history of an earlier version: {} renamed to {}.{} ({} migrations)",
                from, schema, settings.historyTable(), rows.size());
    }

    private static boolean isBillingMigration(String script) {
        if (script == null || !BILLING_SCRIPT.matcher(script).matches()) {
            return false;
        }
        String resource = LOCATION.substring("classpath:".length()) + "/" + script;
        return Migrations.class.getClassLoader().getResource(resource) != null;
    }

    private static List<HistoryRow> legacyRows(Connection connection, String schema) throws SQLException {
        List<HistoryRow> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT version, script, success FROM " + quote(schema) + "."
                     + quote(LEGACY_HISTORY_TABLE) + " ORDER BY installed_rank")) {
            while (result.next()) {
                rows.add(new HistoryRow(result.getString(1), result.getString(2), result.getBoolean(3)));
            }
        }
        return rows;
    }

    private static String currentSchema(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_schema()")) {
            return row.next() ? row.getString(1) : null;
        }
    }

    private static boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM pg_tables WHERE schemaname = ? AND tablename = ?")) {
            query.setString(1, schema);
            query.setString(2, table);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    private static boolean constraintExists(Connection connection, String schema, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_constraint c"
                + " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = ? AND c.conname = ?")) {
            query.setString(1, schema);
            query.setString(2, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    private static void requireIdentifier(String what, String value) {
        if (!IDENTIFIER.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a plain lower-case PostgreSQL identifier"
                    + " (letters, digits, underscores; at most 63) but was " + value);
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier + '"';
    }
}
