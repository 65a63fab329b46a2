package io.agentbilling.jdbc.internal;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.SpendStore;
import io.agentbilling.core.spend.ApiKeyCap;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.spend.HoldStatus;
import io.agentbilling.core.spend.MemberBudget;
import io.agentbilling.core.spend.SpendSettings;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * {@link SpendStore} on PostgreSQL (tables of V7). Counters are upserts that add in the database
 * ({@code ON CONFLICT … DO UPDATE SET x = x + excluded.x}); BYOK list-price sums saturate at the bigint maximum as
 * the port requires. Holds are locked with {@code SELECT … FOR UPDATE} in hold id order; callers hold the org's
 * account lock first. Not thread-safe (one handle).
 */
public final class JdbiSpendStore implements SpendStore {
    private static final String HOLD_COLUMNS = "org_id, hold_id, member_id, api_key_id, amount_micros, captured_micros,"
            + " status, created_at, expires_at, closed_at, idempotency_key, fingerprint, sandbox_id";
    /** A sum of bigints saturated to a bigint (numeric in, bigint out). */
    private static final String SATURATE = "LEAST(%s, 9223372036854775807)::bigint";

    private final Handle handle;

    JdbiSpendStore(Handle handle) {
        this.handle = handle;
    }

    // --- settings, budgets, caps ---

    @Override
    public Optional<SpendSettings> settings(OrgId orgId) {
        return handle.createQuery("SELECT * FROM spend_settings WHERE org_id = :org")
                .bind("org", orgId.value())
                .map((rs, ctx) -> settings(rs))
                .findOne();
    }

    @Override
    public Map<OrgId, SpendSettings> settings(Collection<OrgId> orgIds) {
        if (orgIds.isEmpty()) {
            return Map.of();
        }
        Map<OrgId, SpendSettings> found = new HashMap<>();
        handle.createQuery("SELECT * FROM spend_settings WHERE org_id = ANY(:orgs)")
                .bindArray("orgs", UUID.class, orgIds.stream().map(OrgId::value).distinct().toList())
                .map((rs, ctx) -> settings(rs))
                .forEach(s -> found.put(s.orgId(), s));
        return found;
    }

    @Override
    public void saveSettings(SpendSettings settings) {
        handle.createUpdate("""
                        INSERT INTO spend_settings (org_id, count_byok_toward_budgets, balance_low_threshold_micros,
                            updated_at)
                        VALUES (:org, :byok, :threshold, :updatedAt)
                        ON CONFLICT (org_id) DO UPDATE SET
                            count_byok_toward_budgets = excluded.count_byok_toward_budgets,
                            balance_low_threshold_micros = excluded.balance_low_threshold_micros,
                            updated_at = excluded.updated_at""")
                .bind("org", settings.orgId().value())
                .bind("byok", settings.countByokTowardBudgets())
                .bind("threshold", micros(settings.balanceLowThreshold()))
                .bind("updatedAt", settings.updatedAt())
                .execute();
    }

    @Override
    public Optional<MemberBudget> budget(OrgId orgId, MemberId memberId) {
        return handle.createQuery("SELECT * FROM member_budgets WHERE org_id = :org AND member_id = :member")
                .bind("org", orgId.value())
                .bind("member", memberId.value())
                .map((rs, ctx) -> budget(rs))
                .findOne();
    }

    @Override
    public List<MemberBudget> budgets(OrgId orgId) {
        // The text form orders like the in-memory store's (by the UUID's string).
        return handle.createQuery("SELECT * FROM member_budgets WHERE org_id = :org ORDER BY member_id::text")
                .bind("org", orgId.value())
                .map((rs, ctx) -> budget(rs))
                .list();
    }

    @Override
    public Map<MemberRef, MemberBudget> budgets(Collection<MemberRef> members) {
        if (members.isEmpty()) {
            return Map.of();
        }
        List<MemberRef> distinct = members.stream().distinct().toList();
        Map<MemberRef, MemberBudget> found = new HashMap<>();
        handle.createQuery("SELECT b.* FROM member_budgets b JOIN unnest(:orgs, :members) AS v(o, m)"
                        + " ON b.org_id = v.o AND b.member_id = v.m")
                .bindArray("orgs", UUID.class, distinct.stream().map(r -> r.orgId().value()).toList())
                .bindArray("members", UUID.class, distinct.stream().map(r -> r.memberId().value()).toList())
                .map((rs, ctx) -> budget(rs))
                .forEach(b -> found.put(new MemberRef(b.orgId(), b.memberId()), b));
        return found;
    }

    @Override
    public void saveBudget(MemberBudget budget) {
        handle.createUpdate("""
                        INSERT INTO member_budgets (org_id, member_id, monthly_limit_micros, daily_limit_micros,
                            updated_at)
                        VALUES (:org, :member, :monthly, :daily, :updatedAt)
                        ON CONFLICT (org_id, member_id) DO UPDATE SET
                            monthly_limit_micros = excluded.monthly_limit_micros,
                            daily_limit_micros = excluded.daily_limit_micros,
                            updated_at = excluded.updated_at""")
                .bind("org", budget.orgId().value())
                .bind("member", budget.memberId().value())
                .bind("monthly", micros(budget.monthlyLimit()))
                .bind("daily", micros(budget.dailyLimit()))
                .bind("updatedAt", budget.updatedAt())
                .execute();
    }

    @Override
    public void deleteBudget(OrgId orgId, MemberId memberId) {
        handle.createUpdate("DELETE FROM member_budgets WHERE org_id = :org AND member_id = :member")
                .bind("org", orgId.value())
                .bind("member", memberId.value())
                .execute();
    }

    @Override
    public Optional<ApiKeyCap> cap(OrgId orgId, ApiKeyId keyId) {
        return handle.createQuery("SELECT * FROM api_key_caps WHERE org_id = :org AND key_id = :key")
                .bind("org", orgId.value())
                .bind("key", keyId.value())
                .map((rs, ctx) -> cap(rs))
                .findOne();
    }

    @Override
    public List<ApiKeyCap> caps(OrgId orgId) {
        return handle.createQuery("SELECT * FROM api_key_caps WHERE org_id = :org ORDER BY key_id::text")
                .bind("org", orgId.value())
                .map((rs, ctx) -> cap(rs))
                .list();
    }

    @Override
    public void saveCap(ApiKeyCap cap) {
        handle.createUpdate("""
                        INSERT INTO api_key_caps (org_id, key_id, monthly_limit_micros, lifetime_limit_micros,
                            updated_at)
                        VALUES (:org, :key, :monthly, :lifetime, :updatedAt)
                        ON CONFLICT (org_id, key_id) DO UPDATE SET
                            monthly_limit_micros = excluded.monthly_limit_micros,
                            lifetime_limit_micros = excluded.lifetime_limit_micros,
                            updated_at = excluded.updated_at""")
                .bind("org", cap.orgId().value())
                .bind("key", cap.keyId().value())
                .bind("monthly", micros(cap.monthlyLimit()))
                .bind("lifetime", micros(cap.lifetimeLimit()))
                .bind("updatedAt", cap.updatedAt())
                .execute();
    }

    @Override
    public void deleteCap(OrgId orgId, ApiKeyId keyId) {
        handle.createUpdate("DELETE FROM api_key_caps WHERE org_id = :org AND key_id = :key")
                .bind("org", orgId.value())
                .bind("key", keyId.value())
                .execute();
    }

    // --- spend counters ---

    @Override
    public void addKeySpend(List<KeySpendIncrement> increments) {
        if (increments.isEmpty()) {
            return;
        }
        handle.createUpdate("INSERT INTO api_key_spend_monthly AS s (org_id, key_id, month_start, charged_micros,"
                        + " byok_micros)"
                        + " SELECT o, k, d::date, c, b FROM unnest(:orgs, :keys, :months, :charged, :byok)"
                        + " AS v(o, k, d, c, b)"
                        + " ON CONFLICT (org_id, key_id, month_start) DO UPDATE SET"
                        + " charged_micros = s.charged_micros + excluded.charged_micros,"
                        + " byok_micros = " + SATURATE.formatted("s.byok_micros::numeric + excluded.byok_micros"))
                .bindArray("orgs", UUID.class, increments.stream().map(i -> i.orgId().value()).toList())
                .bindArray("keys", UUID.class, increments.stream().map(i -> i.keyId().value()).toList())
                .bindArray("months", String.class, increments.stream().map(i -> i.monthStart().toString()).toList())
                .bindArray("charged", Long.class, increments.stream().map(i -> i.charged().micros()).toList())
                .bindArray("byok", Long.class, increments.stream().map(i -> i.byokList().micros()).toList())
                .execute();
    }

    @Override
    public KeySpendTotals keySpend(OrgId orgId, ApiKeyId keyId, LocalDate monthStart) {
        return keySpend(orgId, keyId, monthStart, true).getOrDefault(keyId, KeySpendTotals.NONE);
    }

    @Override
    public Map<ApiKeyId, KeySpendTotals> keySpendByKey(OrgId orgId, LocalDate monthStart) {
        return keySpend(orgId, null, monthStart, false);
    }

    private Map<ApiKeyId, KeySpendTotals> keySpend(OrgId orgId, ApiKeyId keyId, LocalDate monthStart, boolean oneKey) {
        String sql = "SELECT key_id,"
                + " SUM(charged_micros) FILTER (WHERE month_start = :month) AS charged_month,"
                + " SUM(byok_micros) FILTER (WHERE month_start = :month) AS byok_month,"
                + " SUM(charged_micros) AS charged_life, SUM(byok_micros) AS byok_life"
                + " FROM api_key_spend_monthly WHERE org_id = :org" + (oneKey ? " AND key_id = :key" : "")
                + " GROUP BY key_id";
        var query = handle.createQuery("SELECT key_id, COALESCE(charged_month, 0)::bigint AS charged_month,"
                        + SATURATE.formatted("COALESCE(byok_month, 0)") + " AS byok_month,"
                        + " charged_life::bigint AS charged_life, " + SATURATE.formatted("byok_life")
                        + " AS byok_life FROM (" + sql + ") AS t")
                .bind("org", orgId.value())
                .bind("month", monthStart);
        if (oneKey) {
            query.bind("key", keyId.value());
        }
        Map<ApiKeyId, KeySpendTotals> totals = new HashMap<>();
        query.map((rs, ctx) -> {
            totals.put(new ApiKeyId(Rows.uuid(rs, "key_id")), new KeySpendTotals(
                    Credits.ofMicros(rs.getLong("charged_month")), Credits.ofMicros(rs.getLong("byok_month")),
                    Credits.ofMicros(rs.getLong("charged_life")), Credits.ofMicros(rs.getLong("byok_life"))));
            return null;
        }).list();
        return totals;
    }

    @Override
    public void addMemberByokSpend(List<MemberByokIncrement> increments) {
        if (increments.isEmpty()) {
            return;
        }
        handle.createUpdate("INSERT INTO member_byok_spend_daily AS s (org_id, member_id, day, byok_micros)"
                        + " SELECT o, m, d::date, b FROM unnest(:orgs, :members, :days, :byok) AS v(o, m, d, b)"
                        + " ON CONFLICT (org_id, member_id, day) DO UPDATE SET"
                        + " byok_micros = " + SATURATE.formatted("s.byok_micros::numeric + excluded.byok_micros"))
                .bindArray("orgs", UUID.class, increments.stream().map(i -> i.orgId().value()).toList())
                .bindArray("members", UUID.class, increments.stream().map(i -> i.memberId().value()).toList())
                .bindArray("days", String.class, increments.stream().map(i -> i.day().toString()).toList())
                .bindArray("byok", Long.class, increments.stream().map(i -> i.byokList().micros()).toList())
                .execute();
    }

    @Override
    public Credits memberByokSpend(OrgId orgId, MemberId memberId, LocalDate from, LocalDate to) {
        return memberByok(orgId, memberId, from, to).getOrDefault(memberId, Credits.ZERO);
    }

    @Override
    public Map<MemberId, Credits> memberByokSpendByMember(OrgId orgId, LocalDate from, LocalDate to) {
        return memberByok(orgId, null, from, to);
    }

    private Map<MemberId, Credits> memberByok(OrgId orgId, MemberId memberId, LocalDate from, LocalDate to) {
        var query = handle.createQuery("SELECT member_id, " + SATURATE.formatted("SUM(byok_micros)") + " AS byok"
                        + " FROM member_byok_spend_daily WHERE org_id = :org AND day >= :from AND day < :to"
                        + (memberId == null ? "" : " AND member_id = :member") + " GROUP BY member_id")
                .bind("org", orgId.value())
                .bind("from", from)
                .bind("to", to);
        if (memberId != null) {
            query.bind("member", memberId.value());
        }
        Map<MemberId, Credits> sums = new HashMap<>();
        query.map((rs, ctx) -> sums.put(new MemberId(Rows.uuid(rs, "member_id")), Credits.ofMicros(rs.getLong("byok"))))
                .list();
        return sums;
    }

    // --- holds ---

    @Override
    public boolean insertHold(Hold hold) {
        int inserted = handle.createUpdate("INSERT INTO holds (" + HOLD_COLUMNS + ") VALUES (:org, :hold, :member,"
                        + " :key, :amount, :captured, :status, :createdAt, :expiresAt, :closedAt, :idempotencyKey,"
                        + " :fingerprint, :sandbox) ON CONFLICT DO NOTHING")
                .bind("org", hold.orgId().value())
                .bind("hold", hold.id().value())
                .bind("member", hold.memberId() == null ? null : hold.memberId().value())
                .bind("key", hold.apiKeyId() == null ? null : hold.apiKeyId().value())
                .bind("amount", hold.amount().micros())
                .bind("captured", hold.captured().micros())
                .bind("status", hold.status().wireName())
                .bind("createdAt", hold.createdAt())
                .bind("expiresAt", hold.expiresAt())
                .bind("closedAt", hold.closedAt())
                .bind("idempotencyKey", hold.idempotencyKey())
                .bind("fingerprint", hold.fingerprint())
                .bind("sandbox", hold.sandboxId())
                .execute();
        return inserted == 1;
    }

    @Override
    public Optional<Hold> findHold(OrgId orgId, HoldId holdId) {
        return handle.createQuery("SELECT " + HOLD_COLUMNS + " FROM holds WHERE org_id = :org AND hold_id = :hold")
                .bind("org", orgId.value())
                .bind("hold", holdId.value())
                .map((rs, ctx) -> hold(rs))
                .findOne();
    }

    @Override
    public Optional<Hold> findHold(HoldId holdId) {
        return handle.createQuery("SELECT " + HOLD_COLUMNS + " FROM holds WHERE hold_id = :hold")
                .bind("hold", holdId.value())
                .map((rs, ctx) -> hold(rs))
                .findOne();
    }

    @Override
    public Optional<Hold> findHoldByKey(OrgId orgId, String idempotencyKey) {
        return handle.createQuery("SELECT " + HOLD_COLUMNS + " FROM holds WHERE org_id = :org"
                        + " AND idempotency_key = :key")
                .bind("org", orgId.value())
                .bind("key", idempotencyKey)
                .map((rs, ctx) -> hold(rs))
                .findOne();
    }

    @Override
    public Map<HoldId, Hold> lockHolds(OrgId orgId, Collection<HoldId> holdIds) {
        if (holdIds.isEmpty()) {
            return Map.of();
        }
        // Locked in the order the in-memory store and every other caller use: the id's text form.
        TreeSet<String> ordered = new TreeSet<>();
        holdIds.forEach(id -> ordered.add(id.toString()));
        Map<HoldId, Hold> found = new LinkedHashMap<>();
        handle.createQuery("SELECT " + HOLD_COLUMNS + " FROM holds WHERE org_id = :org AND hold_id = ANY(:holds)"
                        + " ORDER BY hold_id::text FOR UPDATE")
                .bind("org", orgId.value())
                .bindArray("holds", UUID.class, ordered.stream().map(UUID::fromString).toList())
                .map((rs, ctx) -> hold(rs))
                .forEach(h -> found.put(h.id(), h));
        return found;
    }

    @Override
    public Optional<Hold> findActiveHoldOfSandbox(OrgId orgId, String sandboxId) {
        return handle.createQuery("SELECT " + HOLD_COLUMNS + " FROM holds WHERE org_id = :org"
                        + " AND sandbox_id = :sandbox AND status = 'active' ORDER BY hold_id::text LIMIT 1")
                .bind("org", orgId.value())
                .bind("sandbox", sandboxId)
                .map((rs, ctx) -> hold(rs))
                .findOne();
    }

    /** Identity and amount are part of the match: a hold that differs from the stored one there is refused. */
    @Override
    public void updateHold(Hold hold) {
        int updated = handle.createUpdate("""
                        UPDATE holds SET captured_micros = :captured, status = :status, closed_at = :closedAt,
                            sandbox_id = :sandbox
                        WHERE org_id = :org AND hold_id = :hold AND amount_micros = :amount""")
                .bind("org", hold.orgId().value())
                .bind("hold", hold.id().value())
                .bind("amount", hold.amount().micros())
                .bind("captured", hold.captured().micros())
                .bind("status", hold.status().wireName())
                .bind("closedAt", hold.closedAt())
                .bind("sandbox", hold.sandboxId())
                .execute();
        if (updated != 1) {
            throw new IllegalStateException("no hold " + hold.id() + " of " + hold.orgId());
        }
    }

    /** What one active hold reserves: its amount less what was captured, never below 0. */
    private static final String RESERVED = "GREATEST(amount_micros - captured_micros, 0)";

    @Override
    public HeldAmounts held(OrgId orgId, MemberId memberId, ApiKeyId keyId, Instant now) {
        return handle.createQuery("SELECT COALESCE(SUM(" + RESERVED + "), 0)::bigint AS by_org,"
                        + " COALESCE(SUM(" + RESERVED + ") FILTER (WHERE member_id = :member), 0)::bigint AS by_member,"
                        + " COALESCE(SUM(" + RESERVED + ") FILTER (WHERE api_key_id = :key), 0)::bigint AS by_key"
                        + " FROM holds WHERE org_id = :org AND status = 'active' AND expires_at > :now")
                .bind("org", orgId.value())
                .bind("member", memberId == null ? null : memberId.value())
                .bind("key", keyId == null ? null : keyId.value())
                .bind("now", now)
                .map((rs, ctx) -> new HeldAmounts(Credits.ofMicros(rs.getLong("by_org")),
                        Credits.ofMicros(rs.getLong("by_member")), Credits.ofMicros(rs.getLong("by_key"))))
                .one();
    }

    @Override
    public Map<MemberId, Credits> heldByMember(OrgId orgId, Instant now) {
        Map<MemberId, Credits> sums = new HashMap<>();
        heldBy("member_id", orgId, now).forEach((id, sum) -> sums.put(new MemberId(id), sum));
        return sums;
    }

    @Override
    public Map<ApiKeyId, Credits> heldByKey(OrgId orgId, Instant now) {
        Map<ApiKeyId, Credits> sums = new HashMap<>();
        heldBy("api_key_id", orgId, now).forEach((id, sum) -> sums.put(new ApiKeyId(id), sum));
        return sums;
    }

    private Map<UUID, Credits> heldBy(String column, OrgId orgId, Instant now) {
        Map<UUID, Credits> sums = new HashMap<>();
        handle.createQuery("SELECT " + column + " AS id, SUM(" + RESERVED + ")::bigint AS held FROM holds"
                        + " WHERE org_id = :org AND status = 'active' AND expires_at > :now AND " + column
                        + " IS NOT NULL GROUP BY " + column)
                .bind("org", orgId.value())
                .bind("now", now)
                .map((rs, ctx) -> sums.put(Rows.uuid(rs, "id"), Credits.ofMicros(rs.getLong("held"))))
                .list();
        return sums;
    }

    @Override
    public List<Hold> lockHoldsDue(OrgId orgId, Instant now) {
        return handle.createQuery("SELECT " + HOLD_COLUMNS + " FROM holds WHERE org_id = :org AND status = 'active'"
                        + " AND expires_at <= :now ORDER BY hold_id::text FOR UPDATE")
                .bind("org", orgId.value())
                .bind("now", now)
                .map((rs, ctx) -> hold(rs))
                .list();
    }

    @Override
    public List<OrgId> orgsWithHoldsDue(Instant now, int limit) {
        return handle.createQuery("SELECT DISTINCT org_id FROM holds WHERE status = 'active' AND expires_at <= :now"
                        + " ORDER BY org_id LIMIT :limit")
                .bind("now", now)
                .bind("limit", limit)
                .map((rs, ctx) -> new OrgId(Rows.uuid(rs, "org_id")))
                .list();
    }

    // --- rows ---

    private static Long micros(Credits credits) {
        return credits == null ? null : credits.micros();
    }

    private static Credits credits(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : Credits.ofMicros(value);
    }

    private static SpendSettings settings(ResultSet rs) throws SQLException {
        return new SpendSettings(new OrgId(Rows.uuid(rs, "org_id")), rs.getBoolean("count_byok_toward_budgets"),
                credits(rs, "balance_low_threshold_micros"), Rows.instant(rs, "updated_at"));
    }

    private static MemberBudget budget(ResultSet rs) throws SQLException {
        return new MemberBudget(new OrgId(Rows.uuid(rs, "org_id")), new MemberId(Rows.uuid(rs, "member_id")),
                credits(rs, "monthly_limit_micros"), credits(rs, "daily_limit_micros"),
                Rows.instant(rs, "updated_at"));
    }

    private static ApiKeyCap cap(ResultSet rs) throws SQLException {
        return new ApiKeyCap(new OrgId(Rows.uuid(rs, "org_id")), new ApiKeyId(Rows.uuid(rs, "key_id")),
                credits(rs, "monthly_limit_micros"), credits(rs, "lifetime_limit_micros"),
                Rows.instant(rs, "updated_at"));
    }

    private static Hold hold(ResultSet rs) throws SQLException {
        UUID member = Rows.uuid(rs, "member_id");
        UUID key = Rows.uuid(rs, "api_key_id");
        return new Hold(new HoldId(Rows.uuid(rs, "hold_id")), new OrgId(Rows.uuid(rs, "org_id")),
                member == null ? null : new MemberId(member), key == null ? null : new ApiKeyId(key),
                Credits.ofMicros(rs.getLong("amount_micros")), Credits.ofMicros(rs.getLong("captured_micros")),
                HoldStatus.fromWireName(rs.getString("status")), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "expires_at"), Rows.instant(rs, "closed_at"), rs.getString("idempotency_key"),
                rs.getString("fingerprint"), rs.getString("sandbox_id"));
    }
}
