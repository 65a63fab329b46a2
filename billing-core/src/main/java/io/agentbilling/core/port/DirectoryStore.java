package io.agentbilling.core.port;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.SignInSession;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Organizations, their members, API keys and sign-in sessions (both stored by hash only). */
public interface DirectoryStore {

    /**
     * @param org the organization
     */
    void insertOrg(Org org);

    /**
     * @return the organization, or empty when there is none
     */
    Optional<Org> findOrg(OrgId id);

    /**
     * When each of these orgs was created, for a settlement batch that names usage times (unknown orgs are left
     * out). A store that can, answers with one query; this default asks org by org.
     *
     * @param orgIds the organizations
     */
    default Map<OrgId, Instant> creationTimes(Collection<OrgId> orgIds) {
        Map<OrgId, Instant> times = new HashMap<>();
        for (OrgId orgId : orgIds) {
            findOrg(orgId).ifPresent(org -> times.put(orgId, org.createdAt()));
        }
        return times;
    }

    void insertMember(Member member);

    /**
     * @param orgId the organization
     * @param memberId the member
     * @return the member, or empty when there is none
     */
    Optional<Member> findMember(OrgId orgId, MemberId memberId);

    /**
     * Members of an org, oldest first.
     *
     * @param orgId the organization
     */
    List<Member> members(OrgId orgId);

    /**
     * Which of {@code memberIds} are members of the org (one query for a whole settlement batch).
     *
     * @param orgId the organization
     * @param memberIds the members
     */
    Set<MemberId> existingMembers(OrgId orgId, Collection<MemberId> memberIds);

    /**
     * {@link #existingMembers(OrgId, Collection)} for the orgs of a whole settlement batch at once: the members of
     * each org that exist (an org with none maps to an empty set). A store that can, answers with one query rather
     * than one per org; this default asks org by org.
     *
     * @param membersByOrg the members to look for, by organization
     */
    default Map<OrgId, Set<MemberId>> existingMembers(Map<OrgId, ? extends Collection<MemberId>> membersByOrg) {
        Map<OrgId, Set<MemberId>> known = new HashMap<>();
        membersByOrg.forEach((org, members) -> known.put(org, existingMembers(org, members)));
        return known;
    }

    void insertApiKey(ApiKey key);

    /**
     * The key whose SHA-256 hash (lower-case hex) is {@code keyHash}, revoked or not.
     *
     * @param keyHash the SHA-256 hash of the key (lower-case hex)
     * @return the API key, or empty when there is none
     */
    Optional<ApiKey> findApiKeyByHash(String keyHash);

    /**
     * @param orgId the organization
     * @param keyId the API key
     * @return the API key, or empty when there is none
     */
    Optional<ApiKey> findApiKey(OrgId orgId, ApiKeyId keyId);

    /**
     * Marks a key revoked at {@code at} unless it already is; returns the stored key, or empty if unknown.
     *
     * @param orgId the organization
     * @param keyId the API key
     * @param at the instant
     * @return the API key, or empty when there is none
     */
    Optional<ApiKey> revokeApiKey(OrgId orgId, ApiKeyId keyId, Instant at);

    void insertSession(SignInSession session);

    /**
     * The session whose token hashes to {@code tokenHash}, ended or expired or not.
     *
     * @param tokenHash the SHA-256 hash of the token
     * @return the sign in session, or empty when there is none
     */
    Optional<SignInSession> findSessionByTokenHash(String tokenHash);

    /**
     * Ends a session at {@code at} unless it already ended; returns the stored session, or empty if unknown.
     *
     * @param tokenHash the SHA-256 hash of the token
     * @param at the instant
     * @return the sign in session, or empty when there is none
     */
    Optional<SignInSession> endSession(String tokenHash, Instant at);

    /**
     * Deletes the org's sessions that ended or expired before {@code before}; returns how many.
     *
     * @param orgId the organization
     * @param before the instant (exclusive)
     */
    int deleteSessionsClosedBefore(OrgId orgId, Instant before);
}
