package io.agentbilling.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.access.SignInSession;
import io.agentbilling.core.access.SignInSessions;
import io.agentbilling.core.port.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every {@link io.agentbilling.core.port.DirectoryStore} must do. Tests use fresh ids. */
public abstract class DirectoryStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    protected abstract Transactions transactions();

    private Org newOrg() {
        Org org = new Org(new OrgId(UUID.randomUUID()), "Acme \u00e9 \"quoted\"", "pro", T0);
        transactions().inTransaction(s -> {
            s.directory().insertOrg(org);
            return null;
        });
        return org;
    }

    private Member newMember(OrgId org, Role role, Instant at) {
        Member member = new Member(new MemberId(UUID.randomUUID()), org, "dev@example.com", role, at);
        transactions().inTransaction(s -> {
            s.directory().insertMember(member);
            return null;
        });
        return member;
    }

    private ApiKey newKey(Member member, Instant expiresAt) {
        ApiKey key = new ApiKey(new ApiKeyId(UUID.randomUUID()), member.orgId(), member.id(), "ci key",
                UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", ""),
                "rt_live_AbCd", false, T0, expiresAt, null);
        transactions().inTransaction(s -> {
            s.directory().insertApiKey(key);
            return null;
        });
        return key;
    }

    @Test
    void orgs_are_stored_and_read_back() {
        Org org = newOrg();
        Optional<Org> found = transactions().read(s -> s.directory().findOrg(org.id()));
        assertThat(found).contains(org);
        Optional<Org> unknown = transactions().read(s -> s.directory().findOrg(new OrgId(UUID.randomUUID())));
        assertThat(unknown).isEmpty();
    }

    @Test
    void the_creation_times_of_a_batch_of_orgs_are_read_at_once_and_unknown_orgs_left_out() {
        Org org = newOrg();
        Org later = new Org(new OrgId(UUID.randomUUID()), "Later", "free", T0.plusSeconds(90).plusNanos(123_000));
        transactions().inTransaction(s -> {
            s.directory().insertOrg(later);
            return null;
        });
        OrgId unknown = new OrgId(UUID.randomUUID());
        Map<OrgId, Instant> times = transactions().read(s -> s.directory().creationTimes(
                List.of(org.id(), later.id(), unknown)));
        assertThat(times).containsExactlyInAnyOrderEntriesOf(Map.of(org.id(), T0, later.id(), later.createdAt()));
    }

    @Test
    void members_belong_to_one_org_and_list_oldest_first() {
        Org org = newOrg();
        Org other = newOrg();
        Member admin = newMember(org.id(), Role.ADMIN, T0);
        Member member = newMember(org.id(), Role.MEMBER, T0.plusSeconds(1));
        Member stranger = newMember(other.id(), Role.MEMBER, T0);
        List<Member> members = transactions().read(s -> s.directory().members(org.id()));
        assertThat(members).containsExactly(admin, member);
        Optional<Member> wrongOrg = transactions().read(s -> s.directory().findMember(org.id(), stranger.id()));
        assertThat(wrongOrg).isEmpty();
        Optional<Member> right = transactions().read(s -> s.directory().findMember(org.id(), member.id()));
        assertThat(right).contains(member);
        Set<MemberId> existing = transactions().read(s -> s.directory().existingMembers(org.id(),
                List.of(admin.id(), stranger.id(), new MemberId(UUID.randomUUID()))));
        assertThat(existing).containsExactly(admin.id());
    }

    @Test
    void the_members_of_a_whole_batch_of_orgs_are_checked_at_once() {
        Org org = newOrg();
        Org other = newOrg();
        Org empty = newOrg();
        Member admin = newMember(org.id(), Role.ADMIN, T0);
        Member member = newMember(org.id(), Role.MEMBER, T0);
        Member stranger = newMember(other.id(), Role.MEMBER, T0);
        MemberId unknown = new MemberId(UUID.randomUUID());
        Map<OrgId, Set<MemberId>> existing = transactions().read(s -> s.directory().existingMembers(Map.of(
                org.id(), List.of(admin.id(), member.id(), stranger.id()),
                other.id(), List.of(stranger.id(), unknown),
                empty.id(), List.of(admin.id()))));
        assertThat(existing).containsOnlyKeys(org.id(), other.id(), empty.id());
        assertThat(existing.get(org.id())).containsExactlyInAnyOrder(admin.id(), member.id());
        assertThat(existing.get(other.id())).containsExactly(stranger.id());
        assertThat(existing.get(empty.id())).isEmpty();
    }

    @Test
    void api_keys_are_found_by_hash_and_revoked_once() {
        Org org = newOrg();
        Member member = newMember(org.id(), Role.MEMBER, T0);
        ApiKey key = newKey(member, T0.plusSeconds(3600));
        Optional<ApiKey> byHash = transactions().read(s -> s.directory().findApiKeyByHash(key.keyHash()));
        assertThat(byHash).contains(key);
        Optional<ApiKey> unknown = transactions().read(s -> s.directory().findApiKeyByHash("0".repeat(64)));
        assertThat(unknown).isEmpty();

        Instant first = T0.plusSeconds(10);
        Optional<ApiKey> revoked = transactions().inTransaction(s -> s.directory().revokeApiKey(org.id(), key.id(), first));
        assertThat(revoked).hasValueSatisfying(k -> assertThat(k.revokedAt()).isEqualTo(first));
        Optional<ApiKey> again = transactions().inTransaction(
                s -> s.directory().revokeApiKey(org.id(), key.id(), first.plusSeconds(5)));
        assertThat(again).hasValueSatisfying(k -> assertThat(k.revokedAt()).isEqualTo(first));
        Optional<ApiKey> otherOrg = transactions().inTransaction(
                s -> s.directory().revokeApiKey(new OrgId(UUID.randomUUID()), key.id(), first));
        assertThat(otherOrg).isEmpty();
        Optional<ApiKey> stored = transactions().read(s -> s.directory().findApiKey(org.id(), key.id()));
        assertThat(stored).hasValueSatisfying(k -> assertThat(k.isActiveAt(first)).isFalse());
    }

    private SignInSession newSession(ApiKey key, Instant createdAt, Instant expiresAt) {
        SignInSession session = new SignInSession(SignInSessions.hash("bs_" + UUID.randomUUID()), key.orgId(),
                key.memberId(), key.id(), createdAt, expiresAt, null);
        transactions().inTransaction(s -> {
            s.directory().insertSession(session);
            return null;
        });
        return session;
    }

    @Test
    void sessions_are_found_by_token_hash_and_ended_once() {
        Org org = newOrg();
        ApiKey key = newKey(newMember(org.id(), Role.ADMIN, T0), null);
        SignInSession session = newSession(key, T0, T0.plusSeconds(3600));

        assertThat(session(session.tokenHash()))
                .contains(session);
        assertThat(session(SignInSessions.hash("bs_unknown")))
                .isEmpty();

        Instant first = T0.plusSeconds(60);
        assertThat(end(session.tokenHash(), first))
                .map(SignInSession::endedAt).contains(first);
        assertThat(end(session.tokenHash(), first.plusSeconds(5)))
                .map(SignInSession::endedAt).contains(first);
        assertThat(end(SignInSessions.hash("bs_none"), first))
                .isEmpty();
    }

    @Test
    void only_the_orgs_sessions_closed_before_the_cutoff_are_deleted() {
        Org org = newOrg();
        Org other = newOrg();
        ApiKey key = newKey(newMember(org.id(), Role.MEMBER, T0), null);
        ApiKey otherKey = newKey(newMember(other.id(), Role.MEMBER, T0), null);
        SignInSession expiredLongAgo = newSession(key, T0, T0.plusSeconds(60));
        SignInSession endedLongAgo = newSession(key, T0, T0.plusSeconds(86_400));
        SignInSession open = newSession(key, T0, T0.plusSeconds(86_400));
        SignInSession othersExpired = newSession(otherKey, T0, T0.plusSeconds(60));
        transactions().inTransaction(s -> s.directory().endSession(endedLongAgo.tokenHash(), T0.plusSeconds(10)));

        int deleted = transactions().inTransaction(s -> s.directory().deleteSessionsClosedBefore(org.id(),
                T0.plusSeconds(3600)));

        assertThat(deleted).isEqualTo(2);
        assertThat(session(expiredLongAgo.tokenHash())).isEmpty();
        assertThat(session(endedLongAgo.tokenHash())).isEmpty();
        assertThat(session(open.tokenHash())).contains(open);
        assertThat(session(othersExpired.tokenHash()))
                .contains(othersExpired);
    }

    private Optional<SignInSession> session(String tokenHash) {
        return transactions().read(s -> s.directory().findSessionByTokenHash(tokenHash));
    }

    private Optional<SignInSession> end(String tokenHash, Instant at) {
        return transactions().inTransaction(s -> s.directory().endSession(tokenHash, at));
    }
}
