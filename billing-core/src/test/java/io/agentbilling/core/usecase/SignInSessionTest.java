package io.agentbilling.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.access.SignInSession;
import io.agentbilling.core.access.SignInSessions;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.testkit.SequentialIds;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignInSessionTest {
    private final MutableClock clock = MutableClock.at("2026-11-27T10:00:00Z");
    private final SequentialIds ids = new SequentialIds();
    private final InMemoryTransactions memory = new InMemoryTransactions();
    private final AddMember addMember = new AddMember(memory, clock, ids);
    private final CreateApiKey createKey = new CreateApiKey(memory, clock, ids);
    private final RevokeApiKey revokeKey = new RevokeApiKey(memory, clock);
    private final SignIn signIn = new SignIn(memory, clock, ids, new SignInSessions(Duration.ofHours(8)));
    private final AuthenticateSession authenticate = new AuthenticateSession(memory, clock);
    private final SignOut signOut = new SignOut(memory, clock);
    private final OrgId org = newOrg();

    @Test
    void signing_in_with_a_key_opens_a_session_that_acts_as_the_keys_member_and_stores_only_its_hash() {
        Member admin = addMember.execute(new AddMember.Command(org, "ada@example.com", Role.ADMIN)).member();
        CreateApiKey.Result key = createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(admin.id()).name("ci").build());

        SignIn.Result signedIn = signIn.execute(key.plainKey()).orElseThrow();

        Caller expected = new Caller(org, admin.id(), Role.ADMIN, key.key().id());
        assertThat(signedIn.caller()).isEqualTo(expected);
        assertThat(signedIn.token()).startsWith("bs_").isNotEqualTo(key.plainKey());
        assertThat(SignInSessions.isWellFormed(signedIn.token())).isTrue();
        assertThat(signedIn.session().expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(8)));
        assertThat(signedIn.toString()).doesNotContain(signedIn.token());
        SignInSession stored = memory.read(s -> s.directory()
                .findSessionByTokenHash(SignInSessions.hash(signedIn.token()))).orElseThrow();
        assertThat(stored.tokenHash()).isNotEqualTo(signedIn.token());
        assertThat(authenticate.execute(signedIn.token()).map(AuthenticateSession.Result::caller)).contains(expected);
    }

    @Test
    void a_key_that_would_be_refused_opens_no_session() {
        Member member = addMember.execute(new AddMember.Command(org, null, Role.MEMBER)).member();
        CreateApiKey.Result revoked = createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member.id()).name("r").build());
        revokeKey.execute(new RevokeApiKey.Command(org, revoked.key().id()));
        CreateApiKey.Result expiring = createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member.id()).name("e").expiresAt(clock.instant().plusSeconds(60)).build());
        clock.advance(Duration.ofSeconds(60));

        assertThat(signIn.execute(revoked.plainKey())).isEmpty();
        assertThat(signIn.execute(expiring.plainKey())).isEmpty();
        assertThat(signIn.execute("rt_live_" + "A".repeat(43))).isEmpty();
        assertThat(signIn.execute("not a key")).isEmpty();
        assertThat(signIn.execute(null)).isEmpty();
    }

    @Test
    void a_session_ends_at_its_expiry_at_sign_out_and_when_its_key_is_revoked() {
        Member member = addMember.execute(new AddMember.Command(org, null, Role.MEMBER)).member();
        CreateApiKey.Result key = createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member.id()).name("k").build());
        String expiring = signIn.execute(key.plainKey()).orElseThrow().token();
        String signedOut = signIn.execute(key.plainKey()).orElseThrow().token();
        clock.advance(Duration.ofHours(1));
        String revokedLater = signIn.execute(key.plainKey()).orElseThrow().token();

        assertThat(signOut.execute(signedOut)).isTrue();
        assertThat(signOut.execute(signedOut)).isTrue(); // signing out twice is no error
        assertThat(authenticate.execute(signedOut)).isEmpty();
        assertThat(authenticate.execute(expiring)).isPresent();

        clock.advance(Duration.ofHours(7)); // eight hours after the first two sign-ins: exactly their expiry
        assertThat(authenticate.execute(expiring)).isEmpty();
        assertThat(authenticate.execute(revokedLater)).isPresent();

        revokeKey.execute(new RevokeApiKey.Command(org, key.key().id()));
        assertThat(authenticate.execute(revokedLater)).isEmpty();
    }

    @Test
    void a_session_of_an_expiring_key_ends_with_the_key() {
        Member member = addMember.execute(new AddMember.Command(org, null, Role.MEMBER)).member();
        CreateApiKey.Result key = createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member.id()).name("k").expiresAt(clock.instant().plus(Duration.ofMinutes(30)))
                .build());
        String token = signIn.execute(key.plainKey()).orElseThrow().token();

        clock.advance(Duration.ofMinutes(29));
        assertThat(authenticate.execute(token)).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(authenticate.execute(token)).isEmpty();
    }

    @Test
    void malformed_or_unknown_tokens_authenticate_nothing_and_sign_out_nothing() {
        assertThat(authenticate.execute(null)).isEmpty();
        assertThat(authenticate.execute("bs_short")).isEmpty();
        assertThat(authenticate.execute("bs_" + "A".repeat(43))).isEmpty();
        assertThat(authenticate.execute("rt_live_" + "A".repeat(43))).isEmpty();
        assertThat(authenticate.execute("bs_" + "A".repeat(42) + "=")).isEmpty();
        assertThat(signOut.execute("bs_" + "A".repeat(43))).isFalse();
        assertThat(signOut.execute("nonsense")).isFalse();
    }

    @Test
    void sign_in_deletes_the_orgs_sessions_closed_over_a_day_ago() {
        Member member = addMember.execute(new AddMember.Command(org, null, Role.MEMBER)).member();
        CreateApiKey.Result key = createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member.id()).name("k").build());
        String old = signIn.execute(key.plainKey()).orElseThrow().token();
        String recent = signIn.execute(key.plainKey()).orElseThrow().token();
        signOut.execute(recent);
        clock.advance(Duration.ofHours(8).plus(SignIn.KEEP_CLOSED).plusSeconds(1));
        signOut.execute(recent); // still ended at its first sign-out time, which is over a day ago too

        signIn.execute(key.plainKey()).orElseThrow();

        Optional<SignInSession> oldSession = memory.read(s -> s.directory()
                .findSessionByTokenHash(SignInSessions.hash(old)));
        assertThat(oldSession).isEmpty();
        Optional<SignInSession> recentSession = memory.read(s -> s.directory()
                .findSessionByTokenHash(SignInSessions.hash(recent)));
        assertThat(recentSession).isEmpty();
    }

    @Test
    void a_lifetime_outside_a_minute_to_thirty_days_is_refused() {
        assertThatThrownBy(() -> new SignInSessions(Duration.ofSeconds(59))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SignInSessions(Duration.ofDays(31))).isInstanceOf(IllegalArgumentException.class);
    }

    private OrgId newOrg() {
        OrgId id = new OrgId(ids.newId());
        memory.inTransaction(s -> {
            s.directory().insertOrg(new Org(id, "Org " + id, "free", clock.instant()));
            s.ledger().createAccount(id, clock.instant());
            return null;
        });
        return id;
    }
}
