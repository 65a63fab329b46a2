package io.agentbilling.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The unbatched database ceiling: the SQL of one settlement, one transaction per settlement, run by {@code pgbench}
 * against the same PostgreSQL, on copies of the ledger tables (schema {@code ceiling}, created {@code LIKE} the real
 * ones, so with the same keys, constraints and indexes). One transaction does what the posting engine does for a
 * batch of one: lock the account and read its open grant lots, claim the idempotency key
 * ({@code INSERT … ON CONFLICT DO NOTHING}), check the member, insert the entry, move the balance row, record the
 * key's outcome, consume the org's open grant lot and upsert the usage rollup — eleven round trips, one commit. No HTTP, no JSON, no JVM: what
 * PostgreSQL can do when every settlement commits alone.
 */
final class PgbenchCeiling {
    static final String SCRIPT = """
            \\set o random(1, :orgs)
            \\set k random(1, 9000000000000000000)
            \\set a random(1000, 90000)
            BEGIN;
            SELECT balance_micros, last_sequence FROM ceiling.accounts WHERE org_id = md5('o' || :o)::uuid FOR UPDATE \\gset
            SELECT grant_id FROM ceiling.credit_grants WHERE org_id = md5('o' || :o)::uuid AND NOT closed;
            INSERT INTO ceiling.idempotency_keys (org_id, key, fingerprint, amount_micros, balance_after_micros, created_at) VALUES (md5('o' || :o)::uuid, 'pgb-' || :k, 'fingerprint', 0, 0, now()) ON CONFLICT (org_id, key) DO NOTHING RETURNING org_id, key;
            SELECT member_id FROM ceiling.members WHERE org_id = md5('o' || :o)::uuid AND member_id = md5('m' || :o)::uuid;
            INSERT INTO ceiling.ledger_entries (org_id, sequence, entry_id, type, amount_micros, balance_after_micros, resource, description, reference_id, member_id, idempotency_key, created_at) VALUES (md5('o' || :o)::uuid, :last_sequence::bigint + 1, gen_random_uuid(), 'usage', -(:a::bigint), :balance_micros::bigint - :a::bigint, 'model', 'model usage: gpt-5', '', md5('m' || :o)::uuid, 'pgb-' || :k, now());
            UPDATE ceiling.accounts SET balance_micros = balance_micros - :a::bigint, used_micros = used_micros + :a::bigint, last_sequence = last_sequence + 1, updated_at = now() WHERE org_id = md5('o' || :o)::uuid RETURNING balance_micros, last_sequence;
            UPDATE ceiling.credit_grants SET remaining_micros = remaining_micros - :a::bigint WHERE org_id = md5('o' || :o)::uuid AND grant_id = md5('g' || :o)::uuid;
            UPDATE ceiling.idempotency_keys SET entry_id = gen_random_uuid(), amount_micros = -(:a::bigint), balance_after_micros = :balance_micros::bigint - :a::bigint WHERE org_id = md5('o' || :o)::uuid AND key = 'pgb-' || :k AND fingerprint = 'fingerprint';
            INSERT INTO ceiling.usage_daily AS u (org_id, day, member_id, kind, key, byok, unit, count, input_tokens, output_tokens, cached_input_tokens, quantity, forgiven_quantity, cost_micros) VALUES (md5('o' || :o)::uuid, current_date, md5('m' || :o)::uuid, 'model', 'gpt-5', false, '', 1, 500, 100, 0, 0, 0, :a::bigint) ON CONFLICT (org_id, day, member_id, kind, key, byok, unit) DO UPDATE SET count = u.count + excluded.count, input_tokens = u.input_tokens + excluded.input_tokens, output_tokens = u.output_tokens + excluded.output_tokens, cached_input_tokens = u.cached_input_tokens + excluded.cached_input_tokens, quantity = u.quantity + excluded.quantity, forgiven_quantity = u.forgiven_quantity + excluded.forgiven_quantity, cost_micros = u.cost_micros + excluded.cost_micros;
            END;
            """;

    private final Pgbench pgbench;
    private final Path script;

    private PgbenchCeiling(Pgbench pgbench, Path script) {
        this.pgbench = pgbench;
        this.script = script;
    }

    /** Creates the {@code ceiling} schema with {@code orgs} orgs (one member each) and writes the script. */
    static PgbenchCeiling prepare(Pgbench pgbench, Connection connection, int orgs, Path workDir)
            throws SQLException, IOException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS ceiling CASCADE");
            sql.execute("CREATE SCHEMA ceiling");
            for (String table : List.of("orgs", "members", "accounts", "ledger_entries", "credit_grants",
                    "idempotency_keys", "usage_daily")) {
                sql.execute("CREATE TABLE ceiling." + table + " (LIKE public." + table + " INCLUDING ALL)");
            }
            sql.execute("INSERT INTO ceiling.orgs SELECT md5('o' || i)::uuid, 'org ' || i, 'pro', now()"
                    + " FROM generate_series(1, " + orgs + ") i");
            sql.execute("INSERT INTO ceiling.members SELECT md5('o' || i)::uuid, md5('m' || i)::uuid, NULL, 'member',"
                    + " now() FROM generate_series(1, " + orgs + ") i");
            sql.execute("INSERT INTO ceiling.accounts SELECT md5('o' || i)::uuid, 0, 0, 0, 0, 0, 0, now()"
                    + " FROM generate_series(1, " + orgs + ") i");
            // Every org settles against an open sign-up grant lot, as the server's free-plan orgs do: the posting
            // engine then writes the lot too (their 500 cents last thousands of settlements).
            sql.execute("INSERT INTO ceiling.credit_grants SELECT md5('o' || i)::uuid, md5('g' || i)::uuid, 'signup',"
                    + " 1000000000000000, 1000000000000000, now(), NULL, false FROM generate_series(1, " + orgs + ") i");
            sql.execute("UPDATE ceiling.accounts SET granted_micros = 1000000000000000,"
                    + " balance_micros = 1000000000000000");
            sql.execute("ANALYZE ceiling.accounts");
        }
        Path script = workDir.resolve("settlement.pgbench.sql");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        return new PgbenchCeiling(pgbench, script);
    }

    /** Transactions (= settlements) per second at {@code clients} clients over {@code orgs} orgs. */
    double run(int clients, int orgs, int seconds) throws IOException, InterruptedException {
        return pgbench.tps(script, clients, seconds, Map.of("orgs", Integer.toString(orgs)));
    }

    static void drop(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS ceiling CASCADE");
        }
    }
}
