package io.agentbilling.http.faults;

import io.agentbilling.jdbc.setup.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the ledger straight from PostgreSQL, past the server, and checks the invariants of DESIGN.md that can be
 * checked from the tables alone: per org, the balance row equals the sum of the entries and the totals identity holds;
 * entries are numbered 1..n without gaps and chain ({@code balanceAfter(n) = balanceAfter(n-1) + amount(n)}); an
 * idempotency key yields at most one entry, and every entry but an expiry is the one its claimed key records. Plain JDBC, one
 * connection per call, so it works while the server under test is down.
 */
public final class LedgerAudit {
    private final DatabaseConfig database;

    public LedgerAudit(DatabaseConfig database) {
        this.database = database;
    }

    /** Every broken invariant, as sentences; empty when the ledger is sound. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        query("""
                SELECT a.org_id, a.balance_micros, a.last_sequence, COALESCE(SUM(e.amount_micros), 0) AS sum_micros,
                       COUNT(e.sequence) AS entries, COALESCE(MAX(e.sequence), 0) AS max_sequence,
                       a.granted_micros - a.used_micros - a.expired_micros - a.refunded_to_card_micros AS identity
                FROM accounts a LEFT JOIN ledger_entries e ON e.org_id = a.org_id
                GROUP BY a.org_id""", row -> {
            String org = row.getString("org_id");
            long balance = row.getLong("balance_micros");
            if (balance != row.getLong("sum_micros")) {
                problems.add(org + ": balance " + balance + " but entries sum to " + row.getLong("sum_micros"));
            }
            if (balance != row.getLong("identity")) {
                problems.add(org + ": balance " + balance + " but granted - used - expired - refunded is "
                        + row.getLong("identity"));
            }
            long count = row.getLong("entries");
            if (row.getLong("last_sequence") != count || row.getLong("max_sequence") != count) {
                problems.add(org + ": " + count + " entries, last sequence " + row.getLong("last_sequence")
                        + ", highest " + row.getLong("max_sequence"));
            }
        });
        query("""
                SELECT org_id, sequence, amount_micros, balance_after_micros,
                       LAG(balance_after_micros, 1, 0::bigint) OVER (PARTITION BY org_id ORDER BY sequence) AS before
                FROM ledger_entries""", row -> {
            if (row.getLong("before") + row.getLong("amount_micros") != row.getLong("balance_after_micros")) {
                problems.add(row.getString("org_id") + ": entry " + row.getLong("sequence") + " does not chain");
            }
        });
        query("""
                SELECT org_id, idempotency_key, COUNT(*) AS n FROM ledger_entries
                GROUP BY org_id, idempotency_key HAVING COUNT(*) > 1""", row ->
                problems.add(row.getString("org_id") + ": key " + row.getString("idempotency_key") + " has "
                        + row.getLong("n") + " entries"));
        // An expiry is written under the account lock when its grant is closed, which is what makes it unique; no
        // caller wrote it, so it has no fingerprint. Every other entry is the record of the key that wrote it
        // (V6): it carries that write's fingerprint, and no key record repeats it.
        query("""
                SELECT e.org_id, e.idempotency_key, e.type FROM ledger_entries e
                WHERE (e.fingerprint IS NULL) <> (e.type = 'expiry')""",
                row -> problems.add(row.getString("org_id") + ": the " + row.getString("type") + " entry of key "
                        + row.getString("idempotency_key") + " does not carry its write's fingerprint"));
        query("""
                SELECT k.org_id, k.key FROM idempotency_keys k
                JOIN ledger_entries e ON e.org_id = k.org_id AND e.idempotency_key = k.key""",
                row -> problems.add(row.getString("org_id") + ": key " + row.getString("key")
                        + " is recorded both by an entry and by a key record"));
        return problems;
    }

    /** Ledger entries per idempotency key of one org. */
    public Map<String, Integer> entriesPerKey(UUID orgId) {
        Map<String, Integer> counts = new HashMap<>();
        query("SELECT idempotency_key, COUNT(*) AS n FROM ledger_entries WHERE org_id = '" + orgId
                + "' GROUP BY idempotency_key", row -> counts.put(row.getString(1), (int) row.getLong(2)));
        return counts;
    }

    /** Entries of one org by type. */
    Map<String, Integer> entriesPerType(UUID orgId) {
        Map<String, Integer> counts = new HashMap<>();
        query("SELECT type, COUNT(*) FROM ledger_entries WHERE org_id = '" + orgId + "' GROUP BY type",
                row -> counts.put(row.getString(1), (int) row.getLong(2)));
        return counts;
    }

    public long balanceMicros(UUID orgId) {
        return number("SELECT balance_micros FROM accounts WHERE org_id = '" + orgId + "'");
    }

    /** A single number from SQL written by the test. */
    long number(String sql) {
        long[] value = new long[1];
        query(sql, row -> value[0] = row.getLong(1));
        return value[0];
    }

    interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    void query(String sql, RowReader reader) {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
             PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                reader.read(rows);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit query failed: " + sql, e);
        }
    }
}
