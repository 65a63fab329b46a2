package com.example.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agentbilling.testkit.postgres.FreshDatabaseExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AgentServiceTest {

    @RegisterExtension
    static final FreshDatabaseExtension DATABASE = new FreshDatabaseExtension();

    @Test
    void runs_twice_on_one_database_beside_its_own_flyway_migrations_and_charges_once() throws SQLException {
        long first = AgentService.start(DATABASE.dataSource());
        String engineHistory = query("SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank)"
                + " FROM billing.billing_schema_history WHERE version <> '0'");
        long second = AgentService.start(DATABASE.dataSource()); // a restart: same database, same keys

        assertEquals(499, first); // the free plan's $5.00 sign-up grant minus 0.45 cents, rounded down
        assertEquals(first, second);
        assertEquals("17", query("SELECT current_setting('server_version_num')::int / 10000"));
        // The service's history and the engine's, side by side.
        assertEquals("1", query("SELECT string_agg(version, ',') FROM public.flyway_schema_history"));
        assertTrue(engineHistory.startsWith("1:true"), engineHistory);
        assertFalse(engineHistory.contains("false"), engineHistory);
        assertEquals(engineHistory, query("SELECT string_agg(version || ':' || success, ',' ORDER BY installed_rank)"
                + " FROM billing.billing_schema_history WHERE version <> '0'"), "the restart migrated nothing again");
        assertEquals("1", query("SELECT count(*) FROM public.agents"));
        // One org, one member, and on the ledger the grant and one usage entry: nothing written twice.
        assertEquals("1", query("SELECT count(*) FROM billing.orgs"));
        assertEquals("1", query("SELECT count(*) FROM billing.members"));
        assertEquals("2", query("SELECT count(*) FROM billing.ledger_entries"));
    }

    @Test
    void postgresql_binaries_for_linux_and_macos_on_x86_64_and_arm64_are_on_the_classpath() {
        for (String binaries : new String[] {"postgres-linux-x86_64.txz", "postgres-linux-arm_64.txz",
                "postgres-darwin-x86_64.txz", "postgres-darwin-arm_64.txz"}) {
            assertNotNull(getClass().getResource("/" + binaries), binaries);
        }
    }

    private static String query(String sql) throws SQLException {
        try (Connection connection = DATABASE.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
