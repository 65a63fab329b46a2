package io.agentbilling.core.port;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Organizations, their members and API keys (stored by hash only). */
public interface DirectoryStore {

    void insertOrg(Org org);

    Optional<Org> findOrg(OrgId id);

    void insertMember(Member member);

    Optional<Member> findMember(OrgId orgId, MemberId memberId);

    /** Members of an org, oldest first. */
    List<Member> members(OrgId orgId);

    /** Which of {@code memberIds} are members of the org (one query for a whole settlement batch). */
    Set<MemberId> existingMembers(OrgId orgId, Collection<MemberId> memberIds);

    void insertApiKey(ApiKey key);

    /** The key whose SHA-256 hash (lower-case hex) is {@code keyHash}, revoked or not. */
    Optional<ApiKey> findApiKeyByHash(String keyHash);

    Optional<ApiKey> findApiKey(OrgId orgId, ApiKeyId keyId);

    /** Marks a key revoked at {@code at} unless it already is; returns the stored key, or empty if unknown. */
    Optional<ApiKey> revokeApiKey(OrgId orgId, ApiKeyId keyId, Instant at);
}
