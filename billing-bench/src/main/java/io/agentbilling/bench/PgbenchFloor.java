package io.agentbilling.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * The floor: the <b>minimal correct write</b> of a durable ledger, run by {@code pgbench} against the same PostgreSQL.
 * Per settlement one ledger row, inserted with its idempotency key under a unique constraint (the table's only
 * index), and per transaction one balance update per org it touched, by the rows that really went in (a key already
 * there inserts nothing and moves nothing) — batched B settlements per transaction, B being what the server's group
 * commit reached in the same workload. One statement, one round trip, one commit per batch: nothing an engine could
 * leave out and still be exactly once with a balance in step with its entries. No grant lots, no rollups, no history
 * chain, no HTTP, no JSON, no JVM. What our server does above it is the price of everything else.
 *
 * <p>Each pgbench client owns its own share of the orgs (as each of the server's group-commit writers owns a lane), so
 * two transactions never wait for each other's balance row — except on one hot org, where they must, as ours do.
 * Schema {@code floor}, dropped at the end of the run.
 */
final class PgbenchFloor {
    /**
     * One transaction of {@code :batch} settlements. The org of each is drawn from the client's lane:
     * {@code 1 + lane + lanes * k}, {@code k < orgs / lanes}.
     */
    static final String SCRIPT = """
            \\set k random(1, 9000000000000000000)
            \\set lane :client_id % :lanes
            \\set per :orgs / :lanes
            WITH batch AS (
                SELECT md5('o' || o)::uuid AS org_id, md5('m' || o)::uuid AS member_id,
                       'floor-' || :client_id::text || '-' || :k::text || '-' || i AS idempotency_key,
                       -(1000 + (random() * 89000)::bigint) AS amount_micros
                FROM (SELECT 1 + :lane::int + :lanes::int * floor(random() * :per::int)::int AS o, i
                      FROM generate_series(1, :batch::int) AS i) AS drawn),
            inserted AS (
                INSERT INTO floor.ledger (org_id, idempotency_key, amount_micros, member_id, resource, created_at)
                SELECT org_id, idempotency_key, amount_micros, member_id, 'model', now() FROM batch
                ON CONFLICT (org_id, idempotency_key) DO NOTHING
                RETURNING org_id, amount_micros)
            UPDATE floor.accounts AS a SET balance_micros = a.balance_micros + d.delta
            FROM (SELECT org_id, sum(amount_micros) AS delta FROM inserted GROUP BY org_id) AS d
            WHERE a.org_id = d.org_id
            RETURNING a.org_id, a.balance_micros;
            """;

    private final Pgbench pgbench;
    private final Path script;

    private PgbenchFloor(Pgbench pgbench, Path script) {
        this.pgbench = pgbench;
        this.script = script;
    }

    /** Creates the {@code floor} schema with {@code orgs} balances (org ids as the ceiling's) and writes the script. */
    static PgbenchFloor prepare(Pgbench pgbench, Connection connection, int orgs, Path workDir)
            throws SQLException, IOException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS floor CASCADE");
            sql.execute("CREATE SCHEMA floor");
            sql.execute("CREATE TABLE floor.accounts (org_id uuid PRIMARY KEY, balance_micros bigint NOT NULL)");
            sql.execute("""
                    CREATE TABLE floor.ledger (
                        org_id           uuid        NOT NULL,
                        idempotency_key  text        NOT NULL,
                        amount_micros    bigint      NOT NULL,
                        member_id        uuid,
                        resource         text        NOT NULL,
                        created_at       timestamptz NOT NULL,
                        PRIMARY KEY (org_id, idempotency_key))""");
            sql.execute("INSERT INTO floor.accounts SELECT md5('o' || i)::uuid, 500000000 FROM generate_series(1, "
                    + orgs + ") i");
            sql.execute("ANALYZE floor.accounts");
        }
        Path script = workDir.resolve("floor.pgbench.sql");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        return new PgbenchFloor(pgbench, script);
    }

    /**
     * Settlements per second: {@code clients} clients, each committing transactions of {@code batch} settlements over
     * {@code orgs} orgs (its own share of them, or all on the one org).
     */
    double run(int clients, int batch, int orgs, int seconds) throws IOException, InterruptedException {
        int lanes = Math.min(clients, orgs);
        double tps = pgbench.tps(script, clients, seconds, Map.of("orgs", Integer.toString(orgs), "lanes",
                Integer.toString(lanes), "batch", Integer.toString(batch)));
        return tps * batch;
    }

    static void drop(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS floor CASCADE");
        }
    }
}
