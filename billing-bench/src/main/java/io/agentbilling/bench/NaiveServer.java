package io.agentbilling.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.core.pricing.DefaultCatalog;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The naive baseline: what a first implementation of the same endpoints looks like. A JDK {@link HttpServer} and plain
 * JDBC on the same PostgreSQL (its own {@code naive_*} tables), each settlement in its own transaction the
 * straightforward way: lock and read the balance, compute, insert the entry, write the balance back, commit. It is
 * correct (the row lock serialises an org's writers; a key is looked up under that lock), just not batched: every
 * settlement pays a commit and a hot org's row is taken once per settlement. Usage reports scan raw entries (no
 * rollups). Same request shapes as the server (API.md Part B), same prices (the core's built-in catalog), the same
 * pool size as the server's default.
 *
 * <p>A batch request settles its events one transaction each, in order (one transaction per settlement; a single
 * transaction over events of many orgs in arbitrary order would deadlock against its neighbours).
 */
final class NaiveServer implements AutoCloseable {
    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS naive_accounts (
                org_id uuid PRIMARY KEY, balance_micros bigint NOT NULL, opening_micros bigint NOT NULL);
            CREATE TABLE IF NOT EXISTS naive_members (
                org_id uuid NOT NULL, member_id uuid NOT NULL, PRIMARY KEY (org_id, member_id));
            CREATE TABLE IF NOT EXISTS naive_entries (
                org_id uuid NOT NULL, entry_id uuid NOT NULL, amount_micros bigint NOT NULL,
                balance_after_micros bigint NOT NULL, member_id uuid, model text NOT NULL,
                input_tokens bigint NOT NULL, output_tokens bigint NOT NULL, idempotency_key text NOT NULL,
                fingerprint text NOT NULL, occurred_at timestamptz NOT NULL, created_at timestamptz NOT NULL,
                PRIMARY KEY (org_id, idempotency_key));
            CREATE INDEX IF NOT EXISTS naive_entries_by_time ON naive_entries (org_id, occurred_at);
            """;

    private final HttpServer server;
    private final ExecutorService executor;
    private final HikariDataSource dataSource;
    private final PriceCatalog prices = DefaultCatalog.create();

    private NaiveServer(HttpServer server, ExecutorService executor, HikariDataSource dataSource) {
        this.server = server;
        this.executor = executor;
        this.dataSource = dataSource;
    }

    static NaiveServer start(String jdbcUrl, int poolSize, int httpThreads) throws IOException {
        HikariDataSource dataSource = DataSources.create(DatabaseConfig.of(jdbcUrl, "postgres", "")
                .withPoolSize(poolSize).withPoolName("naive"));
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1_024);
        ExecutorService executor = Executors.newFixedThreadPool(httpThreads);
        server.setExecutor(executor);
        NaiveServer naive = new NaiveServer(server, executor, dataSource);
        server.createContext("/", naive::handle);
        server.start();
        return naive;
    }

    /** Creates the tables and loads the same orgs and members as the server's, each with the same opening balance. */
    static void load(Connection connection, Fixture fixture, long openingMicros) throws SQLException {
        try (Statement ddl = connection.createStatement()) {
            ddl.execute(SCHEMA);
        }
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (PreparedStatement account = connection.prepareStatement(
                "INSERT INTO naive_accounts VALUES (?, ?, ?) ON CONFLICT DO NOTHING");
             PreparedStatement member = connection.prepareStatement(
                     "INSERT INTO naive_members VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            List<Fixture.Org> all = new java.util.ArrayList<>(fixture.manyOrgs());
            all.add(fixture.hotOrg());
            fixture.usageMembers().forEach(m -> all.add(new Fixture.Org(fixture.usageOrg().orgId(), m)));
            for (Fixture.Org org : all) {
                account.setObject(1, UUID.fromString(org.orgId()));
                account.setLong(2, openingMicros);
                account.setLong(3, openingMicros);
                account.addBatch();
                member.setObject(1, UUID.fromString(org.orgId()));
                member.setObject(2, UUID.fromString(org.memberId()));
                member.addBatch();
            }
            account.executeBatch();
            member.executeBatch();
            connection.commit();
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    Target target() {
        return new Target("naive", "127.0.0.1", port(), new String[] {"X-Internal-Secret: naive"});
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Reply reply;
            try {
                reply = switch (path) {
                    case Api.MODEL_USAGE -> settleOne(Api.JSON.readTree(exchange.getRequestBody()));
                    case Api.USAGE_BATCH -> settleBatch(Api.JSON.readTree(exchange.getRequestBody()));
                    case Api.CREDIT_CHECK -> creditCheck(Api.JSON.readTree(exchange.getRequestBody()));
                    case Api.MY_USAGE -> myUsage(exchange.getRequestURI());
                    default -> new Reply(404, error("not_found"), false);
                };
            } catch (SQLException e) {
                reply = new Reply(503, error("unavailable"), false);
            } catch (IOException | RuntimeException e) {
                reply = new Reply(400, error("bad_request"), false);
            }
            byte[] body = reply.json().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (reply.replayed()) {
                exchange.getResponseHeaders().set("Idempotent-Replayed", "true");
            }
            exchange.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private record Reply(int status, String json, boolean replayed) {}

    private static String error(String code) {
        return "{\"error\":{\"code\":\"" + code + "\"}}";
    }

    private Reply settleOne(JsonNode event) throws SQLException {
        Settled settled = settle(event);
        if (settled.status() != 200) {
            return new Reply(settled.status(), error(settled.code()), false);
        }
        return new Reply(200, "{\"data\":" + settled.json() + "}", settled.replayed());
    }

    private Reply settleBatch(JsonNode body) throws SQLException {
        JsonNode events = body.path("events");
        if (!events.isArray() || events.isEmpty() || events.size() > 1_000) {
            return new Reply(400, error("bad_request"), false);
        }
        StringBuilder json = new StringBuilder("{\"data\":{\"results\":[");
        for (int i = 0; i < events.size(); i++) {
            Settled settled = settle(events.get(i));
            if (i > 0) {
                json.append(',');
            }
            json.append(settled.status() == 200
                    ? "{\"status\":\"" + (settled.replayed() ? "replayed" : "settled") + "\",\"result\":"
                            + settled.json() + "}"
                    : error(settled.code()));
        }
        return new Reply(200, json.append("]}}").toString(), false);
    }

    private record Settled(int status, String code, String json, boolean replayed) {}

    /** One settlement, one transaction: lock and read the balance, compute, insert the entry, write the balance. */
    private Settled settle(JsonNode e) throws SQLException {
        UUID org = UUID.fromString(e.path("orgId").asText());
        UUID member = UUID.fromString(e.path("memberId").asText());
        String model = e.path("model").asText();
        long input = e.path("inputTokens").asLong();
        long output = e.path("outputTokens").asLong();
        String key = e.path("idempotencyKey").asText();
        Instant occurredAt = e.hasNonNull("occurredAt") ? Instant.parse(e.path("occurredAt").asText()) : Instant.now();
        String fingerprint = member + "|" + model + "|" + input + "|" + output + "|" + e.path("occurredAt").asText("");
        long charge = prices.chargeForModel(model, false, input, output, 0).micros();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Settled settled = settleIn(c, org, member, model, input, output, key, occurredAt, fingerprint, charge);
                c.commit();
                return settled;
            } catch (SQLException | RuntimeException failure) {
                c.rollback();
                throw failure;
            }
        }
    }

    private static Settled settleIn(Connection c, UUID org, UUID member, String model, long input, long output,
                                    String key, Instant occurredAt, String fingerprint, long charge) throws SQLException {
        try (PreparedStatement check = c.prepareStatement(
                "SELECT 1 FROM naive_members WHERE org_id = ? AND member_id = ?")) {
            check.setObject(1, org);
            check.setObject(2, member);
            try (ResultSet row = check.executeQuery()) {
                if (!row.next()) {
                    return new Settled(422, "unprocessable", null, false);
                }
            }
        }
        long balance;
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT balance_micros FROM naive_accounts WHERE org_id = ? FOR UPDATE")) {
            lock.setObject(1, org);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    return new Settled(404, "not_found", null, false);
                }
                balance = row.getLong(1);
            }
        }
        try (PreparedStatement earlier = c.prepareStatement("SELECT amount_micros, balance_after_micros, fingerprint"
                + " FROM naive_entries WHERE org_id = ? AND idempotency_key = ?")) {
            earlier.setObject(1, org);
            earlier.setString(2, key);
            try (ResultSet row = earlier.executeQuery()) {
                if (row.next()) {
                    if (!row.getString(3).equals(fingerprint)) {
                        return new Settled(409, "idempotency_conflict", null, false);
                    }
                    return new Settled(200, null, result(-row.getLong(1), row.getLong(2)), true);
                }
            }
        }
        long after = balance - charge;
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO naive_entries VALUES"
                + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())")) {
            insert.setObject(1, org);
            insert.setObject(2, UUID.randomUUID());
            insert.setLong(3, -charge);
            insert.setLong(4, after);
            insert.setObject(5, member);
            insert.setString(6, model);
            insert.setLong(7, input);
            insert.setLong(8, output);
            insert.setString(9, key);
            insert.setString(10, fingerprint);
            insert.setTimestamp(11, Timestamp.from(occurredAt));
            insert.executeUpdate();
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE naive_accounts SET balance_micros = ? WHERE org_id = ?")) {
            update.setLong(1, after);
            update.setObject(2, org);
            update.executeUpdate();
        }
        return new Settled(200, null, result(charge, after), false);
    }

    private static String result(long chargeMicros, long balanceAfterMicros) {
        return "{\"chargedMicros\":" + chargeMicros + ",\"chargedCents\":" + Math.round(chargeMicros / 1e6)
                + ",\"balanceCents\":" + Math.floorDiv(balanceAfterMicros, 1_000_000L) + "}";
    }

    private Reply creditCheck(JsonNode body) throws SQLException {
        UUID org = UUID.fromString(body.path("orgId").asText());
        long estimate = body.path("estimatedCents").asLong(0) * 1_000_000L;
        try (Connection c = dataSource.getConnection();
             PreparedStatement read = c.prepareStatement("SELECT balance_micros FROM naive_accounts WHERE org_id = ?")) {
            read.setObject(1, org);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    return new Reply(404, error("not_found"), false);
                }
                long balance = row.getLong(1);
                boolean allowed = balance >= estimate && balance > 0;
                long cents = Math.floorDiv(balance, 1_000_000L);
                return new Reply(200, "{\"data\":{\"allowed\":" + allowed + ",\"balanceCents\":" + cents
                        + ",\"availableCents\":" + cents + "}}", false);
            }
        }
    }

    /** The usage report the naive way: an aggregate over the raw entries of the period. */
    private Reply myUsage(URI uri) throws SQLException {
        Map<String, String> query = new HashMap<>();
        for (String pair : uri.getRawQuery() == null ? new String[0] : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        Instant now = Instant.now();
        Instant from = switch (query.getOrDefault("period", "current")) {
            case "7d" -> now.minus(7, ChronoUnit.DAYS);
            case "30d" -> now.minus(30, ChronoUnit.DAYS);
            case "all_time" -> Instant.EPOCH;
            default -> LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        };
        StringBuilder json = new StringBuilder("{\"data\":{\"members\":[");
        try (Connection c = dataSource.getConnection();
             PreparedStatement report = c.prepareStatement("""
                     SELECT member_id, model, count(*), sum(input_tokens), sum(output_tokens), sum(-amount_micros)
                     FROM naive_entries WHERE org_id = ? AND occurred_at >= ? AND occurred_at < ?
                     GROUP BY member_id, model ORDER BY member_id, model""")) {
            report.setObject(1, UUID.fromString(query.get("orgId")));
            report.setTimestamp(2, Timestamp.from(from));
            report.setTimestamp(3, Timestamp.from(now.plusSeconds(1)));
            try (ResultSet rows = report.executeQuery()) {
                boolean first = true;
                while (rows.next()) {
                    json.append(first ? "" : ",").append("{\"memberId\":\"").append(rows.getString(1))
                            .append("\",\"model\":\"").append(rows.getString(2)).append("\",\"requests\":")
                            .append(rows.getLong(3)).append(",\"inputTokens\":").append(rows.getLong(4))
                            .append(",\"outputTokens\":").append(rows.getLong(5)).append(",\"costMicros\":")
                            .append(rows.getLong(6)).append('}');
                    first = false;
                }
            }
        }
        return new Reply(200, json.append("]}}").toString(), false);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        dataSource.close();
    }
}
