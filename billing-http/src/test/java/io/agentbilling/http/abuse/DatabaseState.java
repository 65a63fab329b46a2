package io.agentbilling.http.abuse;

import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.setup.Migrations;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state of the application's database, for "nothing changed" checks: per table (all but the migration history),
 * the row count and the md5 of every row as the JSON PostgreSQL writes for it, in a fixed order. Two snapshots are
 * equal exactly when no row changed, byte for byte. Computed in the database in one round trip, on a connection of
 * its own beside the application's pool, so nothing of the application is involved in checking it. Not thread-safe.
 */
final class DatabaseState implements AutoCloseable {
    private static final String MIGRATION_HISTORY = Migrations.DEFAULT_HISTORY_TABLE;
    /**
     * Written by the webhook delivery worker in the background, at any moment, whatever request is being checked: the
     * attempts, and each delivery's progress. A request's own effect on webhooks stays checked: events
     * ({@code webhook_events}) and the existence, endpoint and event of every delivery, written in the request's
     * transaction.
     */
    private static final String WORKER_ATTEMPTS = "webhook_delivery_attempts";
    private static final String WORKER_PROGRESS = "webhook_deliveries";
    private static final String PROGRESS_COLUMNS = " - 'status' - 'attempts' - 'next_attempt_at' - 'give_up_at'"
            + " - 'last_attempt_at' - 'last_response_code' - 'last_error' - 'delivered_at' - 'leased_until'";

    private final Connection connection;
    private final List<String> tables = new ArrayList<>();
    private final Set<String> tablesWithOrg = new HashSet<>();

    /**
     * Per table, a digest of all its rows and one of the rows of "other" orgs: neither the acting org nor one
     * missing from the list of known orgs (an org the request created counts as the actor's), plus every row of a
     * table without an org.
     */
    record Snapshot(Map<String, String> all, Map<String, String> others) {
        /** Tables where some row changed. */
        List<String> changedSince(Snapshot before) {
            return all.keySet().stream().filter(t -> !all.get(t).equals(before.all.get(t))).toList();
        }

        /** Tables where a row of another org, or of a table without orgs, changed. */
        List<String> othersChangedSince(Snapshot before) {
            return others.keySet().stream().filter(t -> !others.get(t).equals(before.others.get(t))).toList();
        }
    }

    DatabaseState(DatabaseConfig database) {
        try {
            connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
            try (Statement statement = connection.createStatement()) {
                try (ResultSet rs = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                        + "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")) {
                    while (rs.next()) {
                        if (!rs.getString(1).equals(MIGRATION_HISTORY) && !rs.getString(1).equals(WORKER_ATTEMPTS)) {
                            tables.add(rs.getString(1));
                        }
                    }
                }
                try (ResultSet rs = statement.executeQuery("SELECT table_name FROM information_schema.columns "
                        + "WHERE table_schema = current_schema() AND column_name = 'org_id'")) {
                    while (rs.next()) {
                        tablesWithOrg.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database", e);
        }
    }

    /** The whole database. */
    Snapshot snapshot() {
        return snapshot("00000000-0000-0000-0000-000000000000", List.of());
    }

    Snapshot snapshot(String actor, List<String> knownOrgs) {
        StringBuilder sql = new StringBuilder();
        for (String table : tables) {
            String org = tablesWithOrg.contains(table) ? "t.org_id" : "NULL::uuid";
            if (sql.length() > 0) {
                sql.append(" UNION ALL ");
            }
            sql.append("SELECT '").append(table).append("', count(*) || ':' || coalesce(md5(string_agg(r, E'\\n' "
                    + "ORDER BY r)), ''), count(*) FILTER (WHERE other) || ':' || coalesce(md5(string_agg(r, E'\\n' "
                    + "ORDER BY r) FILTER (WHERE other)), '') FROM (SELECT "
                    + (table.equals(WORKER_PROGRESS) ? "(to_jsonb(t)" + PROGRESS_COLUMNS + ")" : "row_to_json(t)")
                    + "::text AS r, (")
                    .append(org).append(" IS NULL OR (").append(org).append(" <> ?::uuid AND ").append(org)
                    .append(" = ANY (?::uuid[]))) AS other FROM \"").append(table).append("\" t) rows");
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            Array known = connection.createArrayOf("uuid", knownOrgs.toArray());
            for (int i = 0; i < tables.size(); i++) {
                statement.setString(2 * i + 1, actor);
                statement.setArray(2 * i + 2, known);
            }
            Map<String, String> all = new LinkedHashMap<>();
            Map<String, String> others = new LinkedHashMap<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    all.put(rs.getString(1), rs.getString(2));
                    others.put(rs.getString(1), rs.getString(3));
                }
            }
            return new Snapshot(all, others);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot digest the database", e);
        }
    }

    /** The org ids that have a row in {@code orgs} now. */
    List<String> orgIds() {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT org_id::text FROM orgs")) {
            List<String> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read orgs", e);
        }
    }

    /**
     * Whether a text column of a row of {@code actor}, or of an org missing from {@code knownOrgs}, holds
     * {@code text} exactly as sent (compared as text, not as escaped JSON).
     */
    boolean holdsText(String actor, List<String> knownOrgs, String text) {
        for (String table : tablesWithOrg) {
            String sql = "SELECT EXISTS (SELECT 1 FROM \"" + table + "\" t, jsonb_each_text(to_jsonb(t)) kv "
                    + "WHERE (t.org_id = ?::uuid OR NOT t.org_id = ANY (?::uuid[])) AND strpos(kv.value, ?) > 0)";
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, actor);
                statement.setArray(2, connection.createArrayOf("uuid", knownOrgs.toArray()));
                statement.setString(3, text);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return true;
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("cannot search " + table, e);
            }
        }
        return false;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do
        }
    }
}
