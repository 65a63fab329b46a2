package io.agentbilling.jdbc.internal;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.access.SignInSession;
import io.agentbilling.core.port.DirectoryStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** {@link DirectoryStore} on PostgreSQL. Not thread-safe (one handle). */
public final class JdbiDirectoryStore implements DirectoryStore {
    private final Handle handle;

    JdbiDirectoryStore(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insertOrg(Org org) {
        handle.createUpdate("INSERT INTO orgs (org_id, name, plan, created_at) VALUES (:id, :name, :plan, :at)")
                .bind("id", org.id().value())
                .bind("name", org.name())
                .bind("plan", org.plan())
                .bind("at", org.createdAt())
                .execute();
    }

    @Override
    public Optional<Org> findOrg(OrgId id) {
        return handle.createQuery("SELECT * FROM orgs WHERE org_id = :id")
                .bind("id", id.value())
                .map((rs, ctx) -> new Org(new OrgId(Rows.uuid(rs, "org_id")), rs.getString("name"), rs.getString("plan"),
                        Rows.instant(rs, "created_at")))
                .findOne();
    }

    /** One query for the orgs of a settlement batch that names usage times. */
    @Override
    public Map<OrgId, Instant> creationTimes(Collection<OrgId> orgIds) {
        if (orgIds.isEmpty()) {
            return Map.of();
        }
        Map<OrgId, Instant> times = new HashMap<>();
        handle.createQuery("SELECT org_id, created_at FROM orgs WHERE org_id = ANY(:ids)")
                .bindArray("ids", UUID.class, orgIds.stream().map(OrgId::value).distinct().toList())
                .map((rs, ctx) -> Map.entry(new OrgId(Rows.uuid(rs, "org_id")), Rows.instant(rs, "created_at")))
                .forEach(entry -> times.put(entry.getKey(), entry.getValue()));
        return times;
    }

    @Override
    public void insertMember(Member member) {
        handle.createUpdate("INSERT INTO members (org_id, member_id, email, role, created_at)"
                        + " VALUES (:org, :id, :email, :role, :at)")
                .bind("org", member.orgId().value())
                .bind("id", member.id().value())
                .bind("email", member.email())
                .bind("role", member.role().wireName())
                .bind("at", member.createdAt())
                .execute();
    }

    @Override
    public Optional<Member> findMember(OrgId orgId, MemberId memberId) {
        return handle.createQuery("SELECT * FROM members WHERE org_id = :org AND member_id = :id")
                .bind("org", orgId.value())
                .bind("id", memberId.value())
                .map((rs, ctx) -> member(rs))
                .findOne();
    }

    @Override
    public List<Member> members(OrgId orgId) {
        return handle.createQuery("SELECT * FROM members WHERE org_id = :org ORDER BY created_at, member_id")
                .bind("org", orgId.value())
                .map((rs, ctx) -> member(rs))
                .list();
    }

    @Override
    public Set<MemberId> existingMembers(OrgId orgId, Collection<MemberId> memberIds) {
        if (memberIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(handle.createQuery("SELECT member_id FROM members WHERE org_id = :org AND member_id = ANY(:ids)")
                .bind("org", orgId.value())
                .bindArray("ids", UUID.class, memberIds.stream().map(MemberId::value).toList())
                .map((rs, ctx) -> new MemberId(Rows.uuid(rs, "member_id")))
                .list());
    }

    /** One query for every org of a settlement batch: a join of the members table with the (org, member) pairs. */
    @Override
    public Map<OrgId, Set<MemberId>> existingMembers(Map<OrgId, ? extends Collection<MemberId>> membersByOrg) {
        List<UUID> orgs = new ArrayList<>();
        List<UUID> members = new ArrayList<>();
        Map<OrgId, Set<MemberId>> known = new HashMap<>();
        membersByOrg.forEach((org, ids) -> {
            known.put(org, new HashSet<>());
            for (MemberId id : ids) {
                orgs.add(org.value());
                members.add(id.value());
            }
        });
        if (orgs.isEmpty()) {
            return known;
        }
        handle.createQuery("SELECT m.org_id, m.member_id FROM members m"
                        + " JOIN unnest(:orgs, :members) AS p(o, m) ON m.org_id = p.o AND m.member_id = p.m")
                .bindArray("orgs", UUID.class, orgs)
                .bindArray("members", UUID.class, members)
                .map((rs, ctx) -> Map.entry(new OrgId(Rows.uuid(rs, "org_id")), new MemberId(Rows.uuid(rs, "member_id"))))
                .forEach(row -> known.get(row.getKey()).add(row.getValue()));
        return known;
    }

    @Override
    public void insertApiKey(ApiKey key) {
        handle.createUpdate("INSERT INTO api_keys (org_id, key_id, member_id, name, key_hash, display_prefix, test,"
                        + " created_at, expires_at, revoked_at)"
                        + " VALUES (:org, :id, :member, :name, :hash, :prefix, :test, :created, :expires, :revoked)")
                .bind("org", key.orgId().value())
                .bind("id", key.id().value())
                .bind("member", key.memberId().value())
                .bind("name", key.name())
                .bind("hash", key.keyHash())
                .bind("prefix", key.displayPrefix())
                .bind("test", key.test())
                .bind("created", key.createdAt())
                .bind("expires", key.expiresAt())
                .bind("revoked", key.revokedAt())
                .execute();
    }

    @Override
    public Optional<ApiKey> findApiKeyByHash(String keyHash) {
        return handle.createQuery("SELECT * FROM api_keys WHERE key_hash = :hash")
                .bind("hash", keyHash)
                .map((rs, ctx) -> apiKey(rs))
                .findOne();
    }

    @Override
    public Optional<ApiKey> findApiKey(OrgId orgId, ApiKeyId keyId) {
        return handle.createQuery("SELECT * FROM api_keys WHERE org_id = :org AND key_id = :id")
                .bind("org", orgId.value())
                .bind("id", keyId.value())
                .map((rs, ctx) -> apiKey(rs))
                .findOne();
    }

    @Override
    public Optional<ApiKey> revokeApiKey(OrgId orgId, ApiKeyId keyId, Instant at) {
        // COALESCE keeps the first revocation time when a key is revoked twice.
        return handle.createQuery("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, :at)"
                        + " WHERE org_id = :org AND key_id = :id RETURNING *")
                .bind("org", orgId.value())
                .bind("id", keyId.value())
                .bind("at", at)
                .map((rs, ctx) -> apiKey(rs))
                .findOne();
    }

    @Override
    public void insertSession(SignInSession session) {
        handle.createUpdate("INSERT INTO sign_in_sessions (org_id, token_hash, member_id, key_id, created_at,"
                        + " expires_at, ended_at) VALUES (:org, :hash, :member, :key, :created, :expires, :ended)")
                .bind("org", session.orgId().value())
                .bind("hash", session.tokenHash())
                .bind("member", session.memberId().value())
                .bind("key", session.keyId().value())
                .bind("created", session.createdAt())
                .bind("expires", session.expiresAt())
                .bind("ended", session.endedAt())
                .execute();
    }

    @Override
    public Optional<SignInSession> findSessionByTokenHash(String tokenHash) {
        return handle.createQuery("SELECT * FROM sign_in_sessions WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map((rs, ctx) -> session(rs))
                .findOne();
    }

    @Override
    public Optional<SignInSession> endSession(String tokenHash, Instant at) {
        // COALESCE keeps the first sign-out time when a session is ended twice.
        return handle.createQuery("UPDATE sign_in_sessions SET ended_at = COALESCE(ended_at, :at)"
                        + " WHERE token_hash = :hash RETURNING *")
                .bind("hash", tokenHash)
                .bind("at", at)
                .map((rs, ctx) -> session(rs))
                .findOne();
    }

    @Override
    public int deleteSessionsClosedBefore(OrgId orgId, Instant before) {
        return handle.createUpdate("DELETE FROM sign_in_sessions WHERE org_id = :org"
                        + " AND (expires_at < :before OR ended_at < :before)")
                .bind("org", orgId.value())
                .bind("before", before)
                .execute();
    }

    private static SignInSession session(ResultSet rs) throws SQLException {
        return new SignInSession(rs.getString("token_hash"), new OrgId(Rows.uuid(rs, "org_id")),
                new MemberId(Rows.uuid(rs, "member_id")), new ApiKeyId(Rows.uuid(rs, "key_id")),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "expires_at"), Rows.instant(rs, "ended_at"));
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(new MemberId(Rows.uuid(rs, "member_id")), new OrgId(Rows.uuid(rs, "org_id")),
                rs.getString("email"), Role.fromWireName(rs.getString("role")), Rows.instant(rs, "created_at"));
    }

    private static ApiKey apiKey(ResultSet rs) throws SQLException {
        return new ApiKey(new ApiKeyId(Rows.uuid(rs, "key_id")), new OrgId(Rows.uuid(rs, "org_id")),
                new MemberId(Rows.uuid(rs, "member_id")), rs.getString("name"), rs.getString("key_hash"),
                rs.getString("display_prefix"), rs.getBoolean("test"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "expires_at"), Rows.instant(rs, "revoked_at"));
    }
}
