package io.agentbilling.jdbc.setup;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.jdbc.testing.TestDatabaseExtension;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The schema rule that keeps scaling out past one PostgreSQL a matter of DDL (docs/SCALING.md): on a distributed
 * PostgreSQL (Citus) sharded by {@code org_id}, every org-owned table is distributed by {@code org_id}, so each of its
 * primary and unique keys must lead with {@code org_id} (a unique index is enforced per shard), and a foreign key
 * may join two org-owned tables only on {@code org_id} (co-located shards) or point at a reference table (replicated
 * to every node); a reference table may point only at other reference tables.
 *
 * <p>The tables, keys and foreign keys are read from the migrated database's catalog, so a table that a later
 * migration adds is checked without anyone listing it: it must carry {@code org_id} and keep the rule, or be added to
 * {@link #REFERENCE_TABLES} with a reason.
 */
class ShardingRulesTest {

    @RegisterExtension
    static final TestDatabaseExtension DATABASE = TestDatabaseExtension.migrated();

    /**
     * Tables replicated to every node (Citus {@code create_reference_table}), with the reason each may be global:
     * looked up without an org, small or rarely written. Every other table carries {@code org_id} and is distributed
     * by it.
     */
    static final Map<String, String> REFERENCE_TABLES = Map.of(
            "processed_webhook_events", "payment-provider event ids, unique across orgs, and not every event names an"
                    + " org; one row per webhook delivery, read only by the delivery that claims it, so rarely"
                    + " written");

    /**
     * Org-owned tables that break the rule today and cannot be reference tables either; the settlement engine
     * rewrite fixes each as its reason says, and then removes it from this list (the test fails while a fixed table is
     * still listed).
     */
    static final Map<String, String> KNOWN_EXCEPTIONS = Map.of(
            "api_keys", "UNIQUE (key_hash) does not lead with org_id: the public API finds a key by its hash alone"
                    + " (DirectoryStore.findApiKeyByHash). It would make a good reference table (small, written when a"
                    + " key is created or revoked), but its foreign key to members would then point from a reference"
                    + " table to a distributed one, which Citus refuses. Fix: drop that foreign key (members are never"
                    + " deleted; CreateApiKey checks the member in its transaction) and list api_keys as a reference"
                    + " table",
            "checkouts", "PRIMARY KEY (session_id) does not lead with org_id: the success page and the provider's"
                    + " webhooks find a checkout by the provider's session id alone (PaymentStore.findCheckout). One"
                    + " row per top-up, so not a reference table. Fix: PRIMARY KEY (org_id, session_id) and lookups by"
                    + " both; the session names its org (our metadata, client_reference_id: StripeMapping.orgOf)",
            "credited_payments", "PRIMARY KEY (payment_intent_id) does not lead with org_id: a refund names only the"
                    + " payment intent (PaymentStore.findPayment). One row per payment. Fix: PRIMARY KEY (org_id,"
                    + " payment_intent_id); the org comes from the payment's metadata (StripeMapping.orgOf)",
            "auto_topup_attempts", "PRIMARY KEY (attempt_id) does not lead with org_id: the worker and the payment"
                    + " webhooks name an attempt by its id alone (PaymentStore.findAttempt). One row per charge. Fix:"
                    + " PRIMARY KEY (org_id, attempt_id); the worker's scan returns the org with each attempt and the"
                    + " charge's metadata carries both ids",
            "sign_in_sessions", "UNIQUE (token_hash) does not lead with org_id: the billing page's cookie carries the"
                    + " session token alone (DirectoryStore.findSignInSession), as an API key does. Written at each"
                    + " sign-in, so not a reference table. Fix: the token names its org (a prefix the server reads"
                    + " before the hash lookup), PRIMARY KEY (org_id, token_hash) and lookups by both",
            "sandbox_meters", "UNIQUE (sandbox_id) does not lead with org_id: heartbeats and settlements name only the"
                    + " sandbox (SandboxMeterStore.find). Written at every heartbeat, so not a reference table. Fix: a"
                    + " reference table sandbox_id -> org_id claimed at start (its primary key the arbiter of the"
                    + " start's ON CONFLICT), meters keyed (org_id, sandbox_id) only");

    /** Kept on the coordinator only: the migration history. */
    static final Set<String> LOCAL_TABLES = Set.of(Migrations.DEFAULT_HISTORY_TABLE);

    @Test
    void every_table_carries_org_id_or_is_a_listed_reference_table() throws SQLException {
        Catalog catalog = Catalog.read(DATABASE.dataSource(), "public");

        assertThat(rules(catalog).unownedTables()).as("tables without an org_id uuid NOT NULL column that are not"
                + " listed as reference (or local) tables").isEmpty();
    }

    @Test
    void every_primary_and_unique_key_of_an_org_owned_table_leads_with_org_id() throws SQLException {
        Catalog catalog = Catalog.read(DATABASE.dataSource(), "public");

        assertThat(rules(catalog).keysNotLedByOrg(KNOWN_EXCEPTIONS.keySet())).as("primary or unique keys of"
                + " org-owned tables that do not lead with org_id (Citus enforces a unique key per shard)").isEmpty();
    }

    @Test
    void no_foreign_key_crosses_orgs_except_to_a_reference_table() throws SQLException {
        Catalog catalog = Catalog.read(DATABASE.dataSource(), "public");

        assertThat(rules(catalog).foreignKeysAcrossOrgs(KNOWN_EXCEPTIONS.keySet())).as("foreign keys that do not join"
                + " org_id to org_id (co-located shards) nor point at a reference table").isEmpty();
    }

    @Test
    void every_known_exception_still_breaks_the_rule_and_every_listed_table_exists() throws SQLException {
        Catalog catalog = Catalog.read(DATABASE.dataSource(), "public");
        Rules rules = rules(catalog);

        assertThat(catalog.tables()).containsAll(REFERENCE_TABLES.keySet()).containsAll(KNOWN_EXCEPTIONS.keySet())
                .containsAll(LOCAL_TABLES);
        List<String> violations = new ArrayList<>(rules.keysNotLedByOrg(Set.of()));
        violations.addAll(rules.foreignKeysAcrossOrgs(Set.of()));
        for (String table : KNOWN_EXCEPTIONS.keySet()) {
            assertThat(violations).as(table + " keeps the rule now: take it off the known exceptions")
                    .anyMatch(v -> v.startsWith(table + "."));
            assertThat(rules.referenceTableFeasible(table)).as(table + " no longer points at a distributed table: list"
                    + " it as a reference table if that is what it became, else keep its reason true").isFalse();
        }
        for (String table : REFERENCE_TABLES.keySet()) {
            assertThat(rules.referenceTableFeasible(table)).as(table + " is listed as a reference table but has a"
                    + " foreign key to a table that is not one").isTrue();
        }
    }

    /** The rules are not vacuous: a schema that breaks each of them in one place is caught in exactly that place. */
    @Test
    void the_rules_catch_a_table_that_breaks_them() throws SQLException {
        try (Connection connection = DATABASE.dataSource().getConnection();
             Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS lint_probe CASCADE");
            sql.execute("CREATE SCHEMA lint_probe");
            sql.execute("CREATE TABLE lint_probe.orgs (org_id uuid PRIMARY KEY)");
            sql.execute("CREATE TABLE lint_probe.members (org_id uuid NOT NULL REFERENCES lint_probe.orgs,"
                    + " member_id uuid NOT NULL, email text, PRIMARY KEY (org_id, member_id))");
            sql.execute("CREATE TABLE lint_probe.countries (code text PRIMARY KEY)");
            sql.execute("CREATE TABLE lint_probe.widgets (org_id uuid NOT NULL, widget_id uuid PRIMARY KEY,"
                    + " member_id uuid NOT NULL, owner_org uuid NOT NULL, code text NOT NULL"
                    + " REFERENCES lint_probe.countries, FOREIGN KEY (owner_org, member_id) REFERENCES"
                    + " lint_probe.members (org_id, member_id))");
            sql.execute("CREATE UNIQUE INDEX widgets_by_code ON lint_probe.widgets (code, org_id)");
            sql.execute("CREATE UNIQUE INDEX members_by_email ON lint_probe.members (lower(email))");
            sql.execute("CREATE TABLE lint_probe.audit (event_id text PRIMARY KEY)");
            sql.execute("CREATE TABLE lint_probe.loose (org_id uuid, note text)");
            sql.execute("CREATE TABLE lint_probe.tags (tag text PRIMARY KEY, org_id uuid NOT NULL REFERENCES"
                    + " lint_probe.orgs)");
        }
        Catalog catalog = Catalog.read(DATABASE.dataSource(), "lint_probe");
        Rules rules = new Rules(catalog, Set.of("countries", "tags"), Set.of());

        assertThat(rules.unownedTables()).containsExactly("audit", "loose");
        assertThat(rules.keysNotLedByOrg(Set.of())).containsExactlyInAnyOrder(
                "members.members_by_email (<expression>)", "widgets.widgets_by_code (code, org_id)",
                "widgets.widgets_pkey (widget_id)");
        assertThat(rules.keysNotLedByOrg(Set.of("widgets"))).containsExactly("members.members_by_email (<expression>)");
        assertThat(rules.foreignKeysAcrossOrgs(Set.of())).containsExactlyInAnyOrder(
                "widgets.widgets_owner_org_member_id_fkey (owner_org, member_id) -> members (org_id, member_id)",
                "tags.tags_org_id_fkey: reference table tags -> orgs, which is not a reference table");
        assertThat(rules.referenceTableFeasible("countries")).isTrue();
        assertThat(rules.referenceTableFeasible("tags")).isFalse();
    }

    private static Rules rules(Catalog catalog) {
        Set<String> global = new TreeSet<>(REFERENCE_TABLES.keySet());
        return new Rules(catalog, global, LOCAL_TABLES);
    }

    /** What the rules need from a schema's catalog: tables, their org column, unique indexes and foreign keys. */
    record Catalog(Set<String> tables, Set<String> orgOwned, List<UniqueKey> uniqueKeys, List<ForeignKey> foreignKeys) {

        /** A primary key, unique constraint or unique index; an expression column is {@code <expression>}. */
        record UniqueKey(String table, String name, List<String> columns) {}

        record ForeignKey(String table, String name, List<String> columns, String referencedTable,
                          List<String> referencedColumns) {}

        static Catalog read(DataSource dataSource, String schema) throws SQLException {
            try (Connection connection = dataSource.getConnection()) {
                Set<String> tables = new TreeSet<>(strings(connection, """
                        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND NOT c.relispartition""", schema));
                Set<String> orgOwned = new TreeSet<>(strings(connection, """
                        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                        JOIN pg_attribute a ON a.attrelid = c.oid
                        WHERE n.nspname = ? AND c.relkind IN ('r', 'p') AND a.attname = 'org_id'
                          AND NOT a.attisdropped AND a.attnotnull AND a.atttypid = 'uuid'::regtype""", schema));
                List<UniqueKey> keys = new ArrayList<>();
                try (PreparedStatement query = connection.prepareStatement("""
                        SELECT t.relname, i.relname,
                               array(SELECT coalesce(a.attname, '<expression>')
                                     FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
                                     LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                                     WHERE k.position <= x.indnkeyatts ORDER BY k.position)
                        FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
                        JOIN pg_namespace n ON n.oid = t.relnamespace
                        WHERE n.nspname = ? AND x.indisunique ORDER BY 1, 2""")) {
                    query.setString(1, schema);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            keys.add(new UniqueKey(rows.getString(1), rows.getString(2), list(rows.getArray(3))));
                        }
                    }
                }
                List<ForeignKey> foreignKeys = new ArrayList<>();
                try (PreparedStatement query = connection.prepareStatement("""
                        SELECT src.relname, con.conname,
                               array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, position)
                                     JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                                     ORDER BY k.position),
                               dst.relname,
                               array(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, position)
                                     JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                                     ORDER BY k.position)
                        FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid
                        JOIN pg_class dst ON dst.oid = con.confrelid JOIN pg_namespace n ON n.oid = src.relnamespace
                        WHERE n.nspname = ? AND con.contype = 'f' ORDER BY 1, 2""")) {
                    query.setString(1, schema);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            foreignKeys.add(new ForeignKey(rows.getString(1), rows.getString(2),
                                    list(rows.getArray(3)), rows.getString(4), list(rows.getArray(5))));
                        }
                    }
                }
                return new Catalog(tables, orgOwned, keys, foreignKeys);
            }
        }

        private static List<String> strings(Connection connection, String sql, String schema) throws SQLException {
            List<String> values = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                query.setString(1, schema);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        values.add(rows.getString(1));
                    }
                }
            }
            return values;
        }

        private static List<String> list(Array array) throws SQLException {
            return Arrays.asList((String[]) array.getArray());
        }
    }

    /**
     * The rules over one catalog. A table is org-owned when it has an {@code org_id uuid NOT NULL} column and is not a
     * reference or local table.
     */
    record Rules(Catalog catalog, Set<String> referenceTables, Set<String> localTables) {

        private boolean orgOwned(String table) {
            return catalog.orgOwned().contains(table) && !referenceTables.contains(table)
                    && !localTables.contains(table);
        }

        /** Tables that are neither org-owned nor listed. */
        List<String> unownedTables() {
            return catalog.tables().stream().filter(t -> !catalog.orgOwned().contains(t))
                    .filter(t -> !referenceTables.contains(t) && !localTables.contains(t)).toList();
        }

        /** {@code table.key (columns)} for every unique key of an org-owned table that does not lead with org_id. */
        List<String> keysNotLedByOrg(Set<String> exceptions) {
            return catalog.uniqueKeys().stream()
                    .filter(k -> orgOwned(k.table()) && !exceptions.contains(k.table()))
                    .filter(k -> !k.columns().get(0).equals("org_id"))
                    .map(k -> k.table() + "." + k.name() + " (" + String.join(", ", k.columns()) + ")").toList();
        }

        /**
         * Foreign keys of org-owned tables that do not join on org_id = org_id (and do not point at a reference
         * table), and foreign keys from a reference table to a table that is not one.
         */
        List<String> foreignKeysAcrossOrgs(Set<String> exceptions) {
            List<String> violations = new ArrayList<>();
            for (Catalog.ForeignKey fk : catalog.foreignKeys()) {
                if (exceptions.contains(fk.table())) {
                    continue;
                }
                if (referenceTables.contains(fk.table())) {
                    if (!referenceTables.contains(fk.referencedTable())) {
                        violations.add(fk.table() + "." + fk.name() + ": reference table " + fk.table() + " -> "
                                + fk.referencedTable() + ", which is not a reference table");
                    }
                } else if (orgOwned(fk.table()) && !referenceTables.contains(fk.referencedTable())
                        && !joinsOnOrg(fk)) {
                    violations.add(fk.table() + "." + fk.name() + " (" + String.join(", ", fk.columns()) + ") -> "
                            + fk.referencedTable() + " (" + String.join(", ", fk.referencedColumns()) + ")");
                }
            }
            return violations;
        }

        /** Whether {@code table} could be a reference table: none of its foreign keys points at a table that is not. */
        boolean referenceTableFeasible(String table) {
            return catalog.foreignKeys().stream().filter(fk -> fk.table().equals(table))
                    .allMatch(fk -> referenceTables.contains(fk.referencedTable()));
        }

        private static boolean joinsOnOrg(Catalog.ForeignKey fk) {
            for (int i = 0; i < fk.columns().size(); i++) {
                if (fk.columns().get(i).equals("org_id") && fk.referencedColumns().get(i).equals("org_id")) {
                    return true;
                }
            }
            return false;
        }
    }
}
