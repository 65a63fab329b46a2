package io.agentbilling.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.core.usecase.VerifyLedger;
import io.agentbilling.jdbc.JdbiTransactions;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The correctness checks run after every workload, against the database itself:
 * <ul>
 *   <li>exactly once: every acknowledged settlement has exactly one ledger entry (found by its idempotency key),
 *       no key has two entries (so the 5% replays added nothing), and entries nobody acknowledged (a request that
 *       timed out but committed) are counted;</li>
 *   <li>no drift: the core's {@link VerifyLedger} recomputes every org's balance, chain and totals from its entries
 *       (for the naive baseline, a SQL sum of its entries against its balances).</li>
 * </ul>
 */
final class LedgerCheck implements AutoCloseable {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9-]+");

    private final HikariDataSource dataSource;
    private final VerifyLedger verifyLedger;

    LedgerCheck(String jdbcUrl) {
        this.dataSource = DataSources.create(DatabaseConfig.of(jdbcUrl, "postgres", "").withPoolSize(2)
                .withPoolName("bench-check"));
        this.verifyLedger = new VerifyLedger(new JdbiTransactions(JdbiTransactions.jdbi(dataSource)));
    }

    Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** What the ledger holds for one workload's keys. */
    record ExactlyOnce(long acknowledged, long entries, long duplicates, long missing, long unacknowledgedEntries) {
        boolean ok() {
            return duplicates == 0 && missing == 0;
        }

        @Override
        public String toString() {
            return acknowledged + " acknowledged, " + entries + " entries, " + duplicates + " duplicated, " + missing
                    + " missing, " + unacknowledgedEntries + " landed without an acknowledgement";
        }
    }

    /** @param table {@code ledger_entries} (ours) or {@code naive_entries} (the baseline); both have the key column */
    ExactlyOnce exactlyOnce(String table, String prefix, Map<Integer, BitSet> acknowledged) throws SQLException {
        if (!PREFIX.matcher(prefix).matches() || !(table.equals("ledger_entries") || table.equals("naive_entries"))) {
            throw new IllegalArgumentException("bad table or prefix");
        }
        Map<Integer, BitSet> found = new HashMap<>();
        long entries = 0;
        long duplicates = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT idempotency_key FROM " + table + " WHERE idempotency_key LIKE ?")) {
                query.setFetchSize(10_000);
                query.setString(1, prefix + "-%");
                try (ResultSet rows = query.executeQuery()) {
                    int skip = prefix.length() + 1;
                    while (rows.next()) {
                        String key = rows.getString(1);
                        int dash = key.indexOf('-', skip);
                        int client = Integer.parseInt(key, skip, dash, 10);
                        int local = Integer.parseInt(key, dash + 1, key.length(), 10);
                        BitSet bits = found.computeIfAbsent(client, c -> new BitSet());
                        if (bits.get(local)) {
                            duplicates++;
                        }
                        bits.set(local);
                        entries++;
                    }
                }
            } finally {
                connection.rollback();
            }
        }
        long acked = 0;
        long missing = 0;
        long unacked = 0;
        for (Map.Entry<Integer, BitSet> client : acknowledged.entrySet()) {
            BitSet a = client.getValue();
            BitSet f = found.getOrDefault(client.getKey(), new BitSet());
            acked += a.cardinality();
            BitSet lost = (BitSet) a.clone();
            lost.andNot(f);
            missing += lost.cardinality();
        }
        for (Map.Entry<Integer, BitSet> client : found.entrySet()) {
            BitSet extra = (BitSet) client.getValue().clone();
            extra.andNot(acknowledged.getOrDefault(client.getKey(), new BitSet()));
            unacked += extra.cardinality();
        }
        return new ExactlyOnce(acked, entries, duplicates, missing, unacked);
    }

    /** The core's verifier over every org of our ledger. */
    VerifyLedger.Report verifyOurs() {
        return verifyLedger.execute();
    }

    /** The naive baseline's own consistency: each balance equals its opening balance plus its entries. */
    long naiveDrift() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("""
                     SELECT count(*) FROM naive_accounts a
                     LEFT JOIN (SELECT org_id, sum(amount_micros) AS total FROM naive_entries GROUP BY org_id) e
                            ON e.org_id = a.org_id
                     WHERE a.balance_micros <> a.opening_micros + coalesce(e.total, 0)""");
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
