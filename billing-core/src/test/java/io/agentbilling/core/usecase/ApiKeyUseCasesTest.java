package io.agentbilling.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.ApiKeys;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.testkit.SequentialIds;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class ApiKeyUseCasesTest {
    private final MutableClock clock = MutableClock.at("2026-11-27T10:00:00Z");
    private final SequentialIds ids = new SequentialIds();
    private final InMemoryTransactions memory = new InMemoryTransactions();
    private final CountingTransactions tx = new CountingTransactions(memory);
    private final AddMember addMember = new AddMember(tx, clock, ids);
    private final CreateApiKey createKey = new CreateApiKey(tx, clock, ids);
    private final RevokeApiKey revokeKey = new RevokeApiKey(tx, clock);
    private final AuthenticateApiKey authenticate = new AuthenticateApiKey(tx, clock);
    private final OrgId org = newOrg();
    private final OrgId otherOrg = newOrg();

    @Test
    void a_created_key_authenticates_as_its_member_with_the_members_role() {
        Member admin = addMember.execute(new AddMember.Command(org, "ada@example.com", Role.ADMIN)).member();
        CreateApiKey.Result created = createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(admin.id()).name("ci").build());

        Optional<Caller> caller = authenticate.execute(created.plainKey());

        assertThat(caller).contains(new Caller(org, admin.id(), Role.ADMIN, created.key().id()));
        assertThat(created.plainKey()).startsWith("rt_live_");
    }

    @Test
    void the_store_keeps_only_the_hash_and_the_display_prefix() {
        Member member = addMember.execute(new AddMember.Command(org, null, Role.MEMBER)).member();
        CreateApiKey.Result created = createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member.id()).name("test key").test(true).build());

        ApiKey stored = memory.inTransaction(s -> s.directory().findApiKey(org, created.key().id())).orElseThrow();
        assertThat(stored.keyHash()).isEqualTo(ApiKeys.hash(created.plainKey())).isNotEqualTo(created.plainKey());
        assertThat(stored.displayPrefix()).isEqualTo(created.plainKey().substring(0, 12));
        assertThat(stored.toString()).doesNotContain(created.plainKey().substring(12));
        assertThat(stored.test()).isTrue();
        assertThat(created.plainKey()).startsWith("rt_test_");
        assertThat(created.toString()).doesNotContain(created.plainKey());
    }

    @Test
    void a_malformed_key_is_refused_without_a_lookup() {
        int before = tx.count.get();

        assertThat(authenticate.execute("rt_live_short")).isEmpty();
        assertThat(authenticate.execute(null)).isEmpty();
        assertThat(authenticate.execute("Bearer rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();

        assertThat(tx.count.get()).isEqualTo(before);
    }

    @Test
    void an_unknown_well_formed_key_is_refused() {
        assertThat(authenticate.execute("rt_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).isEmpty();
    }

    @Test
    void a_revoked_key_is_refused() {
        CreateApiKey.Result created = keyFor(org);

        revokeKey.execute(new RevokeApiKey.Command(org, created.key().id()));

        assertThat(authenticate.execute(created.plainKey())).isEmpty();
    }

    @Test
    void a_key_works_until_just_before_its_expiry_and_not_at_it() {
        MemberId member = addMember.execute(new AddMember.Command(org, null, Role.MEMBER)).member().id();
        Instant expiresAt = clock.instant().plus(Duration.ofDays(1));
        CreateApiKey.Result created = createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member).name("temp").expiresAt(expiresAt).build());

        clock.set(expiresAt.minusNanos(1));
        assertThat(authenticate.execute(created.plainKey())).isPresent();
        clock.set(expiresAt);
        assertThat(authenticate.execute(created.plainKey())).isEmpty();
    }

    @Test
    void an_expiry_that_is_not_in_the_future_is_a_bad_request() {
        MemberId member = addMember.execute(new AddMember.Command(org, null, Role.MEMBER)).member().id();

        assertError(() -> createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member).name("k").expiresAt(clock.instant()).build()),
                BillingError.BAD_REQUEST);
        assertError(() -> createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member).name("k").expiresAt(clock.instant().minusSeconds(1))
                .build()), BillingError.BAD_REQUEST);
    }

    @Test
    void a_key_name_has_1_to_100_characters() {
        MemberId member = addMember.execute(new AddMember.Command(org, null, Role.MEMBER)).member().id();

        assertError(() -> CreateApiKey.Command.builder()
                .orgId(org).memberId(member).name("").build(), BillingError.BAD_REQUEST);
        assertError(() -> CreateApiKey.Command.builder()
                .orgId(org).memberId(member).name(" ").build(), BillingError.BAD_REQUEST);
        assertError(() -> CreateApiKey.Command.builder()
                .orgId(org).memberId(member).name("x".repeat(101)).build(), BillingError.BAD_REQUEST);
        assertThat(createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(member).name("x".repeat(100)).build()).key().name())
                .hasSize(100);
    }

    @Test
    void a_key_for_a_member_of_another_org_is_refused_and_for_an_unknown_org_not_found() {
        MemberId stranger = addMember.execute(new AddMember.Command(otherOrg, null, Role.ADMIN)).member().id();

        assertError(() -> createKey.execute(CreateApiKey.Command.builder()
                .orgId(org).memberId(stranger).name("k").build()),
                BillingError.UNPROCESSABLE);
        assertError(() -> createKey.execute(CreateApiKey.Command.builder()
                .orgId(OrgId.random()).memberId(stranger).name("k").build()),
                BillingError.NOT_FOUND);
    }

    @Test
    void revoking_twice_keeps_the_first_revocation_time() {
        CreateApiKey.Result created = keyFor(org);
        Instant first = clock.instant();

        revokeKey.execute(new RevokeApiKey.Command(org, created.key().id()));
        clock.advance(Duration.ofHours(1));
        ApiKey again = revokeKey.execute(new RevokeApiKey.Command(org, created.key().id()));

        assertThat(again.revokedAt()).isEqualTo(first);
    }

    @Test
    void revoking_an_unknown_key_or_another_orgs_key_is_not_found() {
        CreateApiKey.Result created = keyFor(org);

        assertError(() -> revokeKey.execute(new RevokeApiKey.Command(org, ApiKeyId.random())), BillingError.NOT_FOUND);
        assertError(() -> revokeKey.execute(new RevokeApiKey.Command(otherOrg, created.key().id())),
                BillingError.NOT_FOUND);
        assertThat(authenticate.execute(created.plainKey())).isPresent();
    }

    @Test
    void a_key_whose_member_is_unknown_authenticates_nobody() {
        MemberId ghost = MemberId.random();
        ApiKeys.Generated generated = ApiKeys.generate(ids.secureRandomBytes(ApiKeys.SECRET_BYTES), false);
        memory.inTransaction(s -> {
            s.directory().insertApiKey(new ApiKey(ApiKeyId.random(), org, ghost, "orphan", generated.keyHash(),
                    generated.displayPrefix(), false, clock.instant(), null, null));
            return null;
        });

        assertThat(authenticate.execute(generated.plainKey())).isEmpty();
    }

    @Test
    void adding_a_member_to_an_unknown_org_is_not_found() {
        assertError(() -> addMember.execute(new AddMember.Command(OrgId.random(), null, Role.MEMBER)).member(),
                BillingError.NOT_FOUND);
    }

    @Test
    void a_member_email_must_look_like_an_email_and_a_role_is_required() {
        assertError(() -> new AddMember.Command(org, "not-an-email", Role.MEMBER), BillingError.BAD_REQUEST);
        assertError(() -> new AddMember.Command(org, "a@b", Role.MEMBER), BillingError.BAD_REQUEST);
        assertError(() -> new AddMember.Command(org, "a b@example.com", Role.MEMBER), BillingError.BAD_REQUEST);
        assertError(() -> new AddMember.Command(org, "a@@example.com", Role.MEMBER), BillingError.BAD_REQUEST);
        assertError(() -> new AddMember.Command(org, "a@example.com", null), BillingError.BAD_REQUEST);

        Member member = addMember.execute(new AddMember.Command(org, "grace.hopper+billing@navy.example.mil",
                Role.MEMBER)).member();
        Optional<Member> stored = memory.inTransaction(s -> s.directory().findMember(org, member.id()));
        assertThat(stored).contains(member);
    }

    private CreateApiKey.Result keyFor(OrgId orgId) {
        MemberId member = addMember.execute(new AddMember.Command(orgId, null, Role.MEMBER)).member().id();
        return createKey.execute(CreateApiKey.Command.builder().orgId(orgId).memberId(member).name("key").build());
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

    private static void assertError(ThrowingCallable call, BillingError error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    /** Counts units of work, to show that a malformed key never reaches the store. */
    private static final class CountingTransactions implements Transactions {
        private final Transactions inner;
        private final AtomicInteger count = new AtomicInteger();

        CountingTransactions(Transactions inner) {
            this.inner = inner;
        }

        @Override
        public <T> T inTransaction(Function<Stores, T> work) {
            count.incrementAndGet();
            return inner.inTransaction(work);
        }
    }
}
