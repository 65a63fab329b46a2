package io.agentbilling.testkit;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.SignInSession;
import io.agentbilling.core.port.DirectoryStore;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** In-memory {@link DirectoryStore}. */
final class InMemoryDirectoryStore implements DirectoryStore {
    private final InMemoryTransactions tx;
    private final Map<OrgId, Org> orgs = new HashMap<>();
    private final Map<MemberId, Member> members = new LinkedHashMap<>();
    private final Map<ApiKeyId, ApiKey> keys = new HashMap<>();
    private final Map<String, SignInSession> sessions = new HashMap<>();

    InMemoryDirectoryStore(InMemoryTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insertOrg(Org org) {
        tx.requireTransaction();
        if (orgs.putIfAbsent(org.id(), org) != null) {
            throw new IllegalStateException("org exists: " + org.id());
        }
        tx.onRollback(() -> orgs.remove(org.id()));
    }

    @Override
    public Optional<Org> findOrg(OrgId id) {
        tx.requireTransaction();
        return Optional.ofNullable(orgs.get(id));
    }

    @Override
    public void insertMember(Member member) {
        tx.requireTransaction();
        if (members.putIfAbsent(member.id(), member) != null) {
            throw new IllegalStateException("member exists: " + member.id());
        }
        tx.onRollback(() -> members.remove(member.id()));
    }

    @Override
    public Optional<Member> findMember(OrgId orgId, MemberId memberId) {
        tx.requireTransaction();
        return Optional.ofNullable(members.get(memberId)).filter(m -> m.orgId().equals(orgId));
    }

    @Override
    public List<Member> members(OrgId orgId) {
        tx.requireTransaction();
        return members.values().stream()
                .filter(m -> m.orgId().equals(orgId))
                .sorted(Comparator.comparing(Member::createdAt).thenComparing(m -> m.id().value()))
                .toList();
    }

    @Override
    public Set<MemberId> existingMembers(OrgId orgId, Collection<MemberId> memberIds) {
        tx.requireTransaction();
        return memberIds.stream()
                .filter(id -> members.containsKey(id) && members.get(id).orgId().equals(orgId))
                .collect(Collectors.toSet());
    }

    @Override
    public void insertApiKey(ApiKey key) {
        tx.requireTransaction();
        boolean hashTaken = keys.values().stream().anyMatch(k -> k.keyHash().equals(key.keyHash()));
        if (hashTaken || keys.putIfAbsent(key.id(), key) != null) {
            throw new IllegalStateException("api key exists: " + key.id());
        }
        tx.onRollback(() -> keys.remove(key.id()));
    }

    @Override
    public Optional<ApiKey> findApiKeyByHash(String keyHash) {
        tx.requireTransaction();
        return keys.values().stream().filter(k -> k.keyHash().equals(keyHash)).findFirst();
    }

    @Override
    public Optional<ApiKey> findApiKey(OrgId orgId, ApiKeyId keyId) {
        tx.requireTransaction();
        return Optional.ofNullable(keys.get(keyId)).filter(k -> k.orgId().equals(orgId));
    }

    @Override
    public Optional<ApiKey> revokeApiKey(OrgId orgId, ApiKeyId keyId, Instant at) {
        tx.requireTransaction();
        Optional<ApiKey> found = findApiKey(orgId, keyId);
        if (found.isEmpty() || found.get().revokedAt() != null) {
            return found;
        }
        ApiKey previous = found.get();
        ApiKey revoked = previous.revokedAt(at);
        keys.put(keyId, revoked);
        tx.onRollback(() -> keys.put(keyId, previous));
        return Optional.of(revoked);
    }

    @Override
    public void insertSession(SignInSession session) {
        tx.requireTransaction();
        if (sessions.putIfAbsent(session.tokenHash(), session) != null) {
            throw new IllegalStateException("session exists");
        }
        tx.onRollback(() -> sessions.remove(session.tokenHash()));
    }

    @Override
    public Optional<SignInSession> findSessionByTokenHash(String tokenHash) {
        tx.requireTransaction();
        return Optional.ofNullable(sessions.get(tokenHash));
    }

    @Override
    public Optional<SignInSession> endSession(String tokenHash, Instant at) {
        tx.requireTransaction();
        SignInSession previous = sessions.get(tokenHash);
        if (previous == null || previous.endedAt() != null) {
            return Optional.ofNullable(previous);
        }
        SignInSession ended = new SignInSession(previous.tokenHash(), previous.orgId(), previous.memberId(),
                previous.keyId(), previous.createdAt(), previous.expiresAt(), at);
        sessions.put(tokenHash, ended);
        tx.onRollback(() -> sessions.put(tokenHash, previous));
        return Optional.of(ended);
    }

    @Override
    public int deleteSessionsClosedBefore(OrgId orgId, Instant before) {
        tx.requireTransaction();
        List<SignInSession> closed = sessions.values().stream()
                .filter(s -> s.orgId().equals(orgId) && (s.endedAt() != null && s.endedAt().isBefore(before)
                        || s.expiresAt().isBefore(before)))
                .toList();
        closed.forEach(s -> sessions.remove(s.tokenHash()));
        tx.onRollback(() -> closed.forEach(s -> sessions.put(s.tokenHash(), s)));
        return closed.size();
    }
}
