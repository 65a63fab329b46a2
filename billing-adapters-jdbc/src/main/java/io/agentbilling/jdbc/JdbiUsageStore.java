package io.agentbilling.jdbc;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.UsageStore;
import io.agentbilling.core.usage.DailyCost;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import io.agentbilling.core.usage.UsageRecord;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link UsageStore} on PostgreSQL: one multi-row upsert per settlement batch into the daily rollup. Records of the
 * same cell are summed first (an upsert may not touch a row twice) and written in key order, so that two batches
 * never wait on each other's rows in opposite orders. Not thread-safe (one handle).
 */
final class JdbiUsageStore implements UsageStore {
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
                        SELECT o, d::date, m, k, y, b, n, c, i, p, h, q, f, x
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
                .bindArray("counts", Long.class, sums.stream().map(UsageAmounts::count).toList())
                .bindArray("inputs", Long.class, sums.stream().map(UsageAmounts::inputTokens).toList())
                .bindArray("outputs", Long.class, sums.stream().map(UsageAmounts::outputTokens).toList())
                .bindArray("cached", Long.class, sums.stream().map(UsageAmounts::cachedInputTokens).toList())
                .bindArray("quantities", Long.class, sums.stream().map(UsageAmounts::quantity).toList())
                .bindArray("forgiven", Long.class, sums.stream().map(UsageAmounts::forgivenQuantity).toList())
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
                    rs.getBoolean("byok"), rs.getString("unit"), rs.getLong("count"), rs.getLong("input_tokens"),
                    rs.getLong("output_tokens"), rs.getLong("cached_input_tokens"), rs.getLong("quantity"),
                    rs.getLong("forgiven_quantity"), Credits.ofMicros(rs.getLong("cost_micros")));
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
}
