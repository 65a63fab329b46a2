package io.agentbilling.jdbc.internal;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.UsageStore;
import io.agentbilling.core.usage.DailyCost;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import io.agentbilling.core.usage.UsageRecord;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link UsageStore} on PostgreSQL: one multi-row upsert per settlement batch into the daily rollup. Counters are
 * {@code numeric} columns (V4), so a cell and a report's sums are exact at any volume. Records of the
 * same cell are summed first (an upsert may not touch a row twice) and written in key order, so that two batches
 * never wait on each other's rows in opposite orders. Not thread-safe (one handle).
 */
public final class JdbiUsageStore implements UsageStore {
    private final Handle handle;

    JdbiUsageStore(Handle handle) {
        this.handle = handle;
    }

    private record Key(UUID org, LocalDate day, UUID member, String kind, String key, boolean byok, String unit) {}

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::org).thenComparing(Key::day)
            .thenComparing(Key::member).thenComparing(Key::kind).thenComparing(Key::key)
            .thenComparing(Key::byok).thenComparing(Key::unit);

    @Override
    public void record(List<UsageRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Map<Key, UsageAmounts> cells = new TreeMap<>(ORDER);
        for (UsageRecord r : records) {
            UsageAmounts a = r.amounts();
            Key key = new Key(r.orgId().value(), r.day(), a.memberId() == null ? Rows.NIL : a.memberId().value(),
                    a.kind().wireName(), a.key(), a.byok(), a.unit());
            cells.merge(key, a, UsageAmounts::plus);
        }
        List<Key> keys = List.copyOf(cells.keySet());
        List<UsageAmounts> sums = keys.stream().map(cells::get).toList();
        handle.createUpdate("""
                        INSERT INTO usage_daily AS u (org_id, day, member_id, kind, key, byok, unit, count, input_tokens,
                            output_tokens, cached_input_tokens, quantity, forgiven_quantity, cost_micros)
                        SELECT o, d::date, m, k, y, b, n, c::numeric, i::numeric, p::numeric, h::numeric, q::numeric,
                            f::numeric, x
                        FROM unnest(:orgs, :days, :members, :kinds, :keys, :byoks, :units, :counts, :inputs, :outputs,
                            :cached, :quantities, :forgiven, :costs) AS v(o, d, m, k, y, b, n, c, i, p, h, q, f, x)
                        ON CONFLICT (org_id, day, member_id, kind, key, byok, unit) DO UPDATE SET
                            count = u.count + excluded.count,
                            input_tokens = u.input_tokens + excluded.input_tokens,
                            output_tokens = u.output_tokens + excluded.output_tokens,
                            cached_input_tokens = u.cached_input_tokens + excluded.cached_input_tokens,
                            quantity = u.quantity + excluded.quantity,
                            forgiven_quantity = u.forgiven_quantity + excluded.forgiven_quantity,
                            cost_micros = u.cost_micros + excluded.cost_micros""")
                .bindArray("orgs", UUID.class, keys.stream().map(Key::org).toList())
                .bindArray("days", String.class, keys.stream().map(k -> k.day().toString()).toList())
                .bindArray("members", UUID.class, keys.stream().map(Key::member).toList())
                .bindArray("kinds", String.class, keys.stream().map(Key::kind).toList())
                .bindArray("keys", String.class, keys.stream().map(Key::key).toList())
                .bindArray("byoks", Boolean.class, keys.stream().map(Key::byok).toList())
                .bindArray("units", String.class, keys.stream().map(Key::unit).toList())
                .bindArray("counts", String.class, numerals(sums, UsageAmounts::count))
                .bindArray("inputs", String.class, numerals(sums, UsageAmounts::inputTokens))
                .bindArray("outputs", String.class, numerals(sums, UsageAmounts::outputTokens))
                .bindArray("cached", String.class, numerals(sums, UsageAmounts::cachedInputTokens))
                .bindArray("quantities", String.class, numerals(sums, UsageAmounts::quantity))
                .bindArray("forgiven", String.class, numerals(sums, UsageAmounts::forgivenQuantity))
                .bindArray("costs", Long.class, sums.stream().map(a -> a.cost().micros()).toList())
                .execute();
    }

    @Override
    public List<UsageAmounts> totals(OrgId orgId, MemberId member, LocalDate from, LocalDate to) {
        String sql = "SELECT member_id, kind, key, byok, unit, SUM(count) AS count, SUM(input_tokens) AS input_tokens,"
                + " SUM(output_tokens) AS output_tokens, SUM(cached_input_tokens) AS cached_input_tokens,"
                + " SUM(quantity) AS quantity, SUM(forgiven_quantity) AS forgiven_quantity, SUM(cost_micros) AS cost_micros"
                + " FROM usage_daily WHERE org_id = :org AND day >= :from AND day < :to"
                + (member == null ? "" : " AND member_id = :member")
                + " GROUP BY member_id, kind, key, byok, unit ORDER BY member_id, kind, key, byok, unit";
        Query query = handle.createQuery(sql)
                .bind("org", orgId.value())
                .bind("from", from)
                .bind("to", to);
        if (member != null) {
            query.bind("member", member.value());
        }
        return query.map((rs, ctx) -> {
            UUID m = Rows.uuid(rs, "member_id");
            return new UsageAmounts(Rows.NIL.equals(m) ? null : new MemberId(m),
                    UsageKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("key"),
                    rs.getBoolean("byok"), rs.getString("unit"), whole(rs, "count"), whole(rs, "input_tokens"),
                    whole(rs, "output_tokens"), whole(rs, "cached_input_tokens"), whole(rs, "quantity"),
                    whole(rs, "forgiven_quantity"), Credits.ofMicros(rs.getLong("cost_micros")));
        }).list();
    }

    @Override
    public List<DailyCost> dailyCosts(OrgId orgId, MemberId member, LocalDate from, LocalDate to) {
        String sql = "SELECT day, SUM(cost_micros) AS cost_micros FROM usage_daily"
                + " WHERE org_id = :org AND day >= :from AND day < :to"
                + (member == null ? "" : " AND member_id = :member")
                + " GROUP BY day ORDER BY day";
        Query query = handle.createQuery(sql)
                .bind("org", orgId.value())
                .bind("from", from)
                .bind("to", to);
        if (member != null) {
            query.bind("member", member.value());
        }
        return query.map((rs, ctx) -> new DailyCost(rs.getObject("day", LocalDate.class),
                Credits.ofMicros(rs.getLong("cost_micros")))).list();
    }

    /**
     * Counters travel as decimal text, cast to {@code numeric} in the statement: exact at any size, and the driver
     * has no array type for {@link BigInteger}.
     */
    private static List<String> numerals(List<UsageAmounts> sums, Function<UsageAmounts, BigInteger> counter) {
        return sums.stream().map(a -> counter.apply(a).toString()).toList();
    }

    private static BigInteger whole(ResultSet rs, String column) throws SQLException {
        return rs.getBigDecimal(column).toBigIntegerExact();
    }
}
