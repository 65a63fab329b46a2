package io.agentbilling.jdbc.internal;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.port.SandboxMeterStore;
import io.agentbilling.core.usage.MeterStatus;
import io.agentbilling.core.usage.SandboxMeter;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link SandboxMeterStore} on PostgreSQL, table {@code sandbox_meters}. A start claims the sandbox id with
 * {@code INSERT … ON CONFLICT (sandbox_id) DO NOTHING}: a concurrent start of the same id waits for the first to
 * commit and then inserts nothing, and at READ COMMITTED the caller's next read in the same transaction sees the
 * winner. Heartbeats and settlements lock the row with {@code SELECT … FOR UPDATE}. Orderings by sandbox id use the
 * "C" collation (code point order). Not thread-safe (one handle).
 */
public final class JdbiSandboxMeterStore implements SandboxMeterStore {
    private static final String COLUMNS = "org_id, sandbox_id, member_id, size, started_at, last_heartbeat_at,"
            + " settled_through, settled_seconds, forgiven_seconds, status";

    private final Handle handle;

    JdbiSandboxMeterStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public boolean insertIfAbsent(SandboxMeter meter) {
        int inserted = handle.createUpdate("INSERT INTO sandbox_meters (" + COLUMNS + ")"
                        + " VALUES (:org, :sandbox, :member, :size, :startedAt, :heartbeatAt, :settledThrough,"
                        + " :settledSeconds, :forgivenSeconds, :status)"
                        + " ON CONFLICT (sandbox_id) DO NOTHING")
                .bind("org", meter.orgId().value())
                .bind("sandbox", meter.sandboxId())
                .bind("member", meter.memberId().value())
                .bind("size", meter.size())
                .bind("startedAt", meter.startedAt())
                .bind("heartbeatAt", meter.lastHeartbeatAt())
                .bind("settledThrough", meter.settledThrough())
                .bind("settledSeconds", meter.settledSeconds())
                .bind("forgivenSeconds", meter.forgivenSeconds())
                .bind("status", wireName(meter.status()))
                .execute();
        return inserted == 1;
    }

    @Override
    public Optional<SandboxMeter> find(String sandboxId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM sandbox_meters WHERE sandbox_id = :sandbox")
                .bind("sandbox", sandboxId)
                .map((rs, ctx) -> meter(rs))
                .findOne();
    }

    @Override
    public Optional<SandboxMeter> findForUpdate(String sandboxId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM sandbox_meters WHERE sandbox_id = :sandbox FOR UPDATE")
                .bind("sandbox", sandboxId)
                .map((rs, ctx) -> meter(rs))
                .findOne();
    }

    /**
     * The identity columns are part of the match rather than of the SET list: a meter whose org, member, size or
     * start differ from the stored one is refused like a missing one, as the port requires.
     */
    @Override
    public void update(SandboxMeter meter) {
        int updated = handle.createUpdate("""
                        UPDATE sandbox_meters SET
                            last_heartbeat_at = :heartbeatAt,
                            settled_through = :settledThrough,
                            settled_seconds = :settledSeconds,
                            forgiven_seconds = :forgivenSeconds,
                            status = :status
                        WHERE sandbox_id = :sandbox AND org_id = :org AND member_id = :member AND size = :size
                            AND started_at = :startedAt""")
                .bind("sandbox", meter.sandboxId())
                .bind("org", meter.orgId().value())
                .bind("member", meter.memberId().value())
                .bind("size", meter.size())
                .bind("startedAt", meter.startedAt())
                .bind("heartbeatAt", meter.lastHeartbeatAt())
                .bind("settledThrough", meter.settledThrough())
                .bind("settledSeconds", meter.settledSeconds())
                .bind("forgivenSeconds", meter.forgivenSeconds())
                .bind("status", wireName(meter.status()))
                .execute();
        if (updated != 1) {
            throw new IllegalStateException("no meter " + meter.sandboxId()
                    + " with this org, member, size and start to update");
        }
    }

    @Override
    public List<SandboxMeter> openMeters(OrgId orgId, MemberId member) {
        String sql = "SELECT " + COLUMNS + " FROM sandbox_meters WHERE org_id = :org AND status <> 'settled'"
                + (member == null ? "" : " AND member_id = :member")
                + " ORDER BY sandbox_id COLLATE \"C\"";
        Query query = handle.createQuery(sql).bind("org", orgId.value());
        if (member != null) {
            query.bind("member", member.value());
        }
        return query.map((rs, ctx) -> meter(rs)).list();
    }

    @Override
    public List<SandboxMeter> silentSince(Collection<MeterStatus> statuses, Instant before, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit cannot be negative: " + limit);
        }
        if (statuses.isEmpty() || limit == 0) {
            return List.of();
        }
        // The sweeper asks for open meters only. A bound array proves nothing to the planner once the statement runs
        // on a generic plan, so the partial index's predicate is spelled out whenever it holds.
        boolean openOnly = !statuses.contains(MeterStatus.SETTLED);
        String sql = "SELECT " + COLUMNS + " FROM sandbox_meters WHERE status = ANY(:statuses)"
                + (openOnly ? " AND status <> 'settled'" : "")
                + " AND last_heartbeat_at < :before"
                + " ORDER BY last_heartbeat_at, sandbox_id COLLATE \"C\" LIMIT :limit";
        return handle.createQuery(sql)
                .bindArray("statuses", String.class, statuses.stream().map(JdbiSandboxMeterStore::wireName).toList())
                .bind("before", before)
                .bind("limit", limit)
                .map((rs, ctx) -> meter(rs))
                .list();
    }

    private static String wireName(MeterStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    private static SandboxMeter meter(ResultSet rs) throws SQLException {
        return new SandboxMeter(rs.getString("sandbox_id"), new OrgId(Rows.uuid(rs, "org_id")),
                new MemberId(Rows.uuid(rs, "member_id")), rs.getString("size"), Rows.instant(rs, "started_at"),
                Rows.instant(rs, "last_heartbeat_at"), Rows.instant(rs, "settled_through"),
                rs.getLong("settled_seconds"), rs.getLong("forgiven_seconds"),
                MeterStatus.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)));
    }
}
