package io.agentbilling.jdbc.internal;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.CreditGrant;
import io.agentbilling.core.ledger.EntryId;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.GrantId;
import io.agentbilling.core.ledger.GrantKind;
import io.agentbilling.core.ledger.HistoryQuery;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.ledger.IdempotencyRecord.ScopedKey;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.ledger.LedgerTotals;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.LedgerStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * {@link LedgerStore} on PostgreSQL. Multi-row writes go through {@code unnest} of bound arrays, so a batch of any size
 * costs one statement per table. Idempotency keys are claimed with {@code INSERT … ON CONFLICT DO NOTHING RETURNING},
 * accounts are locked with {@code SELECT … FOR UPDATE} in org-id order, and each balance row then moves by the batch's
 * delta with {@code UPDATE … RETURNING}, cross-checked against what the core computed. Not thread-safe (one handle).
 */
public final class JdbiLedgerStore implements LedgerStore {
    private static final String ENTRY_COLUMNS = "org_id, sequence, entry_id, type, amount_micros, balance_after_micros,"
            + " resource, description, reference_id, member_id, idempotency_key, created_at";
    private static final String GRANT_COLUMNS = "org_id, grant_id, kind, amount_micros, remaining_micros, granted_at,"
            + " expires_at, closed";

    private final Handle handle;

    JdbiLedgerStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void createAccount(OrgId orgId, Instant at) {
        handle.createUpdate("INSERT INTO accounts (org_id, balance_micros, granted_micros, used_micros, expired_micros,"
                        + " refunded_to_card_micros, last_sequence, updated_at) VALUES (:org, 0, 0, 0, 0, 0, 0, :at)")
                .bind("org", orgId.value())
                .bind("at", at)
                .execute();
    }

    @Override
    public Map<ScopedKey, IdempotencyRecord> claimKeys(List<IdempotencyRecord> claims) {
        if (claims.isEmpty()) {
            return Map.of();
        }
        Set<ScopedKey> inserted = new HashSet<>(handle.createQuery("""
                        INSERT INTO idempotency_keys (org_id, key, fingerprint, amount_micros, balance_after_micros, created_at)
                        SELECT o, k, f, 0, 0, t::timestamptz
                        FROM unnest(:orgs, :keys, :fingerprints, :times) AS c(o, k, f, t)
                        ON CONFLICT (org_id, key) DO NOTHING
                        RETURNING org_id, key""")
                .bindArray("orgs", UUID.class, claims.stream().map(c -> c.orgId().value()).toList())
                .bindArray("keys", String.class, claims.stream().map(IdempotencyRecord::key).toList())
                .bindArray("fingerprints", String.class, claims.stream().map(IdempotencyRecord::fingerprint).toList())
                .bindArray("times", String.class, claims.stream().map(c -> Rows.text(c.createdAt())).toList())
                .map((rs, ctx) -> new ScopedKey(new OrgId(Rows.uuid(rs, "org_id")), rs.getString("key")))
                .list());
        List<IdempotencyRecord> taken = claims.stream().filter(c -> !inserted.contains(c.scopedKey())).toList();
        if (taken.isEmpty()) {
            return Map.of();
        }
        // READ COMMITTED: this statement sees the rows whose insert made ours conflict, committed by now.
        return handle.createQuery("""
                        SELECT i.* FROM idempotency_keys i
                        JOIN unnest(:orgs, :keys) AS c(o, k) ON i.org_id = c.o AND i.key = c.k""")
                .bindArray("orgs", UUID.class, taken.stream().map(c -> c.orgId().value()).toList())
                .bindArray("keys", String.class, taken.stream().map(IdempotencyRecord::key).toList())
                .map((rs, ctx) -> idempotencyRecord(rs))
                .stream()
                .collect(Collectors.toMap(IdempotencyRecord::scopedKey, r -> r));
    }

    @Override
    public void completeKeys(List<IdempotencyRecord> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        int updated = handle.createUpdate("""
                        UPDATE idempotency_keys i
                        SET entry_id = c.e, amount_micros = c.a, balance_after_micros = c.b, result_ref = c.r
                        FROM unnest(:orgs, :keys, :fingerprints, :entries, :amounts, :balances, :refs) AS c(o, k, f, e, a, b, r)
                        WHERE i.org_id = c.o AND i.key = c.k AND i.fingerprint = c.f""")
                .bindArray("orgs", UUID.class, outcomes.stream().map(o -> o.orgId().value()).toList())
                .bindArray("keys", String.class, outcomes.stream().map(IdempotencyRecord::key).toList())
                .bindArray("fingerprints", String.class, outcomes.stream().map(IdempotencyRecord::fingerprint).toList())
                .bindArray("entries", UUID.class, outcomes.stream()
                        .map(o -> o.entryId() == null ? null : o.entryId().value()).toList())
                .bindArray("amounts", Long.class, outcomes.stream().map(o -> o.amount().micros()).toList())
                .bindArray("balances", Long.class, outcomes.stream().map(o -> o.balanceAfter().micros()).toList())
                .bindArray("refs", String.class, outcomes.stream().map(IdempotencyRecord::resultRef).toList())
                .execute();
        if (updated != outcomes.size()) {
            throw new IllegalStateException("completed " + updated + " of " + outcomes.size() + " claimed keys");
        }
    }

    @Override
    public Optional<IdempotencyRecord> findKey(ScopedKey key) {
        return handle.createQuery("SELECT * FROM idempotency_keys WHERE org_id = :org AND key = :key")
                .bind("org", key.orgId().value())
                .bind("key", key.key())
                .map((rs, ctx) -> idempotencyRecord(rs))
                .findOne();
    }

    @Override
    public Map<OrgId, Account> lockAccounts(Collection<OrgId> orgIds) {
        if (orgIds.isEmpty()) {
            return Map.of();
        }
        List<UUID> ids = orgIds.stream().map(OrgId::value).distinct().sorted().toList();
        List<AccountRow> rows = handle.createQuery(
                        "SELECT * FROM accounts WHERE org_id = ANY(:ids) ORDER BY org_id FOR UPDATE")
                .bindArray("ids", UUID.class, ids)
                .map((rs, ctx) -> accountRow(rs))
                .list();
        return withGrants(rows);
    }

    @Override
    public void write(List<Account> accounts, List<LedgerEntry> entries, List<CreditGrant> grantWrites) {
        insertEntries(entries);
        moveBalances(accounts, entries);
        upsertGrants(grantWrites);
    }

    private void insertEntries(List<LedgerEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        handle.createUpdate("INSERT INTO ledger_entries (" + ENTRY_COLUMNS + ")"
                        + " SELECT o, s, e, t, a, b, r, d, ref, m, k, c::timestamptz"
                        + " FROM unnest(:orgs, :seqs, :ids, :types, :amounts, :balances, :resources, :descriptions,"
                        + " :refs, :members, :keys, :times) AS x(o, s, e, t, a, b, r, d, ref, m, k, c)")
                .bindArray("orgs", UUID.class, entries.stream().map(e -> e.orgId().value()).toList())
                .bindArray("seqs", Long.class, entries.stream().map(LedgerEntry::sequence).toList())
                .bindArray("ids", UUID.class, entries.stream().map(e -> e.id().value()).toList())
                .bindArray("types", String.class, entries.stream().map(e -> e.type().wireName()).toList())
                .bindArray("amounts", Long.class, entries.stream().map(e -> e.amount().micros()).toList())
                .bindArray("balances", Long.class, entries.stream().map(e -> e.balanceAfter().micros()).toList())
                .bindArray("resources", String.class, entries.stream().map(LedgerEntry::resource).toList())
                .bindArray("descriptions", String.class, entries.stream().map(LedgerEntry::description).toList())
                .bindArray("refs", String.class, entries.stream().map(LedgerEntry::referenceId).toList())
                .bindArray("members", UUID.class, entries.stream()
                        .map(e -> e.memberId() == null ? null : e.memberId().value()).toList())
                .bindArray("keys", String.class, entries.stream().map(LedgerEntry::idempotencyKey).toList())
                .bindArray("times", String.class, entries.stream().map(e -> Rows.text(e.createdAt())).toList())
                .execute();
    }

    /**
     * Moves each balance row by the sum of its new entries ({@code UPDATE … SET balance = balance + delta RETURNING}) and
     * checks the row lands exactly where the core said: an always-on invariant, so a bug can never commit drift.
     */
    private void moveBalances(List<Account> accounts, List<LedgerEntry> entries) {
        if (accounts.isEmpty()) {
            return;
        }
        Map<OrgId, LedgerTotals> deltas = new HashMap<>();
        Map<OrgId, Long> counts = new HashMap<>();
        for (LedgerEntry entry : entries) {
            deltas.merge(entry.orgId(), LedgerTotals.ZERO.with(entry.type(), entry.amount()), JdbiLedgerStore::add);
            counts.merge(entry.orgId(), 1L, Long::sum);
        }
        List<Account> moved = accounts.stream().filter(a -> counts.containsKey(a.orgId())).toList();
        if (moved.isEmpty()) {
            return;
        }
        Instant now = entries.get(entries.size() - 1).createdAt();
        Map<UUID, long[]> after = new HashMap<>();
        handle.createQuery("""
                        UPDATE accounts a SET
                            balance_micros = a.balance_micros + d.g - d.u - d.e - d.r,
                            granted_micros = a.granted_micros + d.g,
                            used_micros = a.used_micros + d.u,
                            expired_micros = a.expired_micros + d.e,
                            refunded_to_card_micros = a.refunded_to_card_micros + d.r,
                            last_sequence = a.last_sequence + d.n,
                            updated_at = :now
                        FROM unnest(:orgs, :granted, :used, :expired, :refunded, :counts) AS d(o, g, u, e, r, n)
                        WHERE a.org_id = d.o
                        RETURNING a.org_id, a.balance_micros, a.last_sequence""")
                .bind("now", now)
                .bindArray("orgs", UUID.class, moved.stream().map(a -> a.orgId().value()).toList())
                .bindArray("granted", Long.class, moved.stream().map(a -> deltas.get(a.orgId()).granted().micros()).toList())
                .bindArray("used", Long.class, moved.stream().map(a -> deltas.get(a.orgId()).used().micros()).toList())
                .bindArray("expired", Long.class, moved.stream().map(a -> deltas.get(a.orgId()).expired().micros()).toList())
                .bindArray("refunded", Long.class, moved.stream()
                        .map(a -> deltas.get(a.orgId()).refundedToCard().micros()).toList())
                .bindArray("counts", Long.class, moved.stream().map(a -> counts.get(a.orgId())).toList())
                .map((rs, ctx) -> Map.entry(Rows.uuid(rs, "org_id"),
                        new long[] {rs.getLong("balance_micros"), rs.getLong("last_sequence")}))
                .forEach(e -> after.put(e.getKey(), e.getValue()));
        for (Account account : moved) {
            long[] row = after.get(account.orgId().value());
            if (row == null || row[0] != account.balance().micros() || row[1] != account.lastSequence()) {
                throw new IllegalStateException("account " + account.orgId() + " moved to an unexpected state;"
                        + " the account was not locked or was changed behind the ledger");
            }
        }
    }

    private static LedgerTotals add(LedgerTotals a, LedgerTotals b) {
        return new LedgerTotals(a.granted().plus(b.granted()), a.used().plus(b.used()), a.expired().plus(b.expired()),
                a.refundedToCard().plus(b.refundedToCard()));
    }

    private void upsertGrants(List<CreditGrant> grants) {
        if (grants.isEmpty()) {
            return;
        }
        handle.createUpdate("INSERT INTO credit_grants (" + GRANT_COLUMNS + ")"
                        + " SELECT o, g, k, a, r, t::timestamptz, x::timestamptz, c"
                        + " FROM unnest(:orgs, :ids, :kinds, :amounts, :remaining, :granted, :expires, :closed)"
                        + " AS v(o, g, k, a, r, t, x, c)"
                        + " ON CONFLICT (org_id, grant_id) DO UPDATE"
                        + " SET remaining_micros = excluded.remaining_micros, closed = excluded.closed")
                .bindArray("orgs", UUID.class, grants.stream().map(g -> g.orgId().value()).toList())
                .bindArray("ids", UUID.class, grants.stream().map(g -> g.id().value()).toList())
                .bindArray("kinds", String.class, grants.stream().map(g -> g.kind().name().toLowerCase(Locale.ROOT)).toList())
                .bindArray("amounts", Long.class, grants.stream().map(g -> g.amount().micros()).toList())
                .bindArray("remaining", Long.class, grants.stream().map(g -> g.remaining().micros()).toList())
                .bindArray("granted", String.class, grants.stream().map(g -> Rows.text(g.grantedAt())).toList())
                .bindArray("expires", String.class, grants.stream().map(g -> Rows.text(g.expiresAt())).toList())
                .bindArray("closed", Boolean.class, grants.stream().map(CreditGrant::closed).toList())
                .execute();
    }

    @Override
    public Optional<Account> findAccount(OrgId orgId) {
        List<AccountRow> rows = handle.createQuery("SELECT * FROM accounts WHERE org_id = :org")
                .bind("org", orgId.value())
                .map((rs, ctx) -> accountRow(rs))
                .list();
        return Optional.ofNullable(withGrants(rows).get(orgId));
    }

    @Override
    public Optional<Credits> findBalance(OrgId orgId) {
        return handle.createQuery("SELECT balance_micros FROM accounts WHERE org_id = :org")
                .bind("org", orgId.value())
                .map((rs, ctx) -> Credits.ofMicros(rs.getLong("balance_micros")))
                .findOne();
    }

    @Override
    public Optional<LedgerEntry> findEntry(OrgId orgId, EntryId entryId) {
        return handle.createQuery("SELECT * FROM ledger_entries WHERE org_id = :org AND entry_id = :id")
                .bind("org", orgId.value())
                .bind("id", entryId.value())
                .map((rs, ctx) -> entry(rs))
                .findOne();
    }

    @Override
    public List<LedgerEntry> history(HistoryQuery query) {
        StringBuilder sql = new StringBuilder("SELECT * FROM ledger_entries WHERE org_id = :org");
        if (query.beforeSequence() != null) {
            sql.append(" AND sequence < :before");
        }
        if (!query.types().isEmpty()) {
            sql.append(" AND type = ANY(:types)");
        }
        if (query.from() != null) {
            sql.append(" AND created_at >= :from");
        }
        if (query.to() != null) {
            sql.append(" AND created_at < :to");
        }
        sql.append(" ORDER BY sequence DESC LIMIT :limit");
        Query statement = handle.createQuery(sql.toString())
                .bind("org", query.orgId().value())
                .bind("limit", query.limit());
        if (query.beforeSequence() != null) {
            statement.bind("before", query.beforeSequence().longValue());
        }
        if (!query.types().isEmpty()) {
            statement.bindArray("types", String.class, query.types().stream().map(EntryType::wireName).toList());
        }
        if (query.from() != null) {
            statement.bind("from", query.from());
        }
        if (query.to() != null) {
            statement.bind("to", query.to());
        }
        return statement.map((rs, ctx) -> entry(rs)).list();
    }

    @Override
    public List<LedgerEntry> entriesInOrder(OrgId orgId, long afterSequence, int limit) {
        return handle.createQuery("SELECT * FROM ledger_entries WHERE org_id = :org AND sequence > :after"
                        + " ORDER BY sequence LIMIT :limit")
                .bind("org", orgId.value())
                .bind("after", afterSequence)
                .bind("limit", limit)
                .map((rs, ctx) -> entry(rs))
                .list();
    }

    @Override
    public List<OrgId> orgsWithGrantsDue(Instant asOf, int limit) {
        return handle.createQuery("SELECT DISTINCT org_id FROM credit_grants"
                        + " WHERE NOT closed AND expires_at IS NOT NULL AND expires_at <= :asOf ORDER BY org_id LIMIT :limit")
                .bind("asOf", asOf)
                .bind("limit", limit)
                .map((rs, ctx) -> new OrgId(Rows.uuid(rs, "org_id")))
                .list();
    }

    @Override
    public List<CreditGrant> grants(OrgId orgId) {
        return handle.createQuery("SELECT * FROM credit_grants WHERE org_id = :org ORDER BY granted_at, grant_id")
                .bind("org", orgId.value())
                .map((rs, ctx) -> grant(rs))
                .list();
    }

    @Override
    public List<OrgId> accountIds(OrgId after, int limit) {
        return handle.createQuery("SELECT org_id FROM accounts WHERE org_id > :after ORDER BY org_id LIMIT :limit")
                .bind("after", after == null ? Rows.NIL : after.value())
                .bind("limit", limit)
                .map((rs, ctx) -> new OrgId(Rows.uuid(rs, "org_id")))
                .list();
    }

    private record AccountRow(OrgId orgId, Credits balance, LedgerTotals totals, long lastSequence) {}

    private Map<OrgId, Account> withGrants(List<AccountRow> rows) {
        if (rows.isEmpty()) {
            return Map.of();
        }
        Map<OrgId, List<CreditGrant>> open = new HashMap<>();
        handle.createQuery("SELECT * FROM credit_grants WHERE org_id = ANY(:ids) AND NOT closed")
                .bindArray("ids", UUID.class, rows.stream().map(r -> r.orgId().value()).toList())
                .map((rs, ctx) -> grant(rs))
                .forEach(g -> open.computeIfAbsent(g.orgId(), o -> new ArrayList<>()).add(g));
        Map<OrgId, Account> accounts = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing(AccountRow::orgId)).forEach(r -> accounts.put(r.orgId(),
                new Account(r.orgId(), r.balance(), r.totals(), r.lastSequence(), open.getOrDefault(r.orgId(), List.of()))));
        return accounts;
    }

    private static AccountRow accountRow(ResultSet rs) throws SQLException {
        LedgerTotals totals = new LedgerTotals(Credits.ofMicros(rs.getLong("granted_micros")),
                Credits.ofMicros(rs.getLong("used_micros")), Credits.ofMicros(rs.getLong("expired_micros")),
                Credits.ofMicros(rs.getLong("refunded_to_card_micros")));
        return new AccountRow(new OrgId(Rows.uuid(rs, "org_id")), Credits.ofMicros(rs.getLong("balance_micros")), totals,
                rs.getLong("last_sequence"));
    }

    private static LedgerEntry entry(ResultSet rs) throws SQLException {
        UUID member = Rows.uuid(rs, "member_id");
        return new LedgerEntry(new EntryId(Rows.uuid(rs, "entry_id")), new OrgId(Rows.uuid(rs, "org_id")),
                rs.getLong("sequence"), EntryType.fromWireName(rs.getString("type")),
                Credits.ofMicros(rs.getLong("amount_micros")), Credits.ofMicros(rs.getLong("balance_after_micros")),
                new EntryText(rs.getString("resource"), rs.getString("description"), rs.getString("reference_id")),
                member == null ? null : new MemberId(member), rs.getString("idempotency_key"), Rows.instant(rs, "created_at"));
    }

    private static CreditGrant grant(ResultSet rs) throws SQLException {
        return new CreditGrant(new GrantId(Rows.uuid(rs, "grant_id")), new OrgId(Rows.uuid(rs, "org_id")),
                GrantKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                Credits.ofMicros(rs.getLong("amount_micros")), Credits.ofMicros(rs.getLong("remaining_micros")),
                Rows.instant(rs, "granted_at"), Rows.instant(rs, "expires_at"), rs.getBoolean("closed"));
    }

    private static IdempotencyRecord idempotencyRecord(ResultSet rs) throws SQLException {
        UUID entry = Rows.uuid(rs, "entry_id");
        return new IdempotencyRecord(new OrgId(Rows.uuid(rs, "org_id")), rs.getString("key"), rs.getString("fingerprint"),
                entry == null ? null : new EntryId(entry), Credits.ofMicros(rs.getLong("amount_micros")),
                Credits.ofMicros(rs.getLong("balance_after_micros")), rs.getString("result_ref"),
                Rows.instant(rs, "created_at"));
    }
}
