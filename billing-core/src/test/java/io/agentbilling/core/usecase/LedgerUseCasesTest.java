package io.agentbilling.core.usecase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.pricing.DefaultCatalog;
import io.agentbilling.core.port.VersionedPriceBook;
import io.agentbilling.testkit.internal.LedgerFixture;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class LedgerUseCasesTest {
    private final LedgerFixture ledger = LedgerFixture.inMemory();
    private final PriceBook plans = VersionedPriceBook.single(DefaultCatalog.create());
    private final CreateOrg createOrg = new CreateOrg(ledger.tx, ledger.engine, plans, ledger.ids, ledger.clock);
    private final GrantCredit grantCredit = new GrantCredit(ledger.tx, ledger.engine, ledger.clock);
    private final AdjustCredit adjustCredit = new AdjustCredit(ledger.tx, ledger.engine);
    private final GetCredits getCredits = new GetCredits(ledger.tx, ledger.clock);
    private final GetCreditHistory history = new GetCreditHistory(ledger.tx);
    private final CheckCredit checkCredit = new CheckCredit(ledger.tx, ledger.clock);
    private final ExpireGrants expireGrants = new ExpireGrants(ledger.tx, ledger.engine, ledger.clock);
    private final VerifyLedger verifyLedger = new VerifyLedger(ledger.tx);

    private static Caller callerOf(OrgId org) {
        return new Caller(org, new MemberId(UUID.randomUUID()), Role.MEMBER, null);
    }

    private static void assertRefused(ThrowingCallable call, BillingError error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(BillingException.class, e -> assertThat(e.error()).isEqualTo(error));
    }

    @Test
    void a_new_org_gets_its_plans_signup_grant_expiring_with_the_plan() {
        CreateOrg.Result created = createOrg.execute(CreateOrg.Command.builder().name("Acme").build());
        assertThat(created.org().plan()).isEqualTo("free");
        assertThat(created.balance()).isEqualTo(Credits.ofCents(500));
        Account account = ledger.account(created.org().id());
        assertThat(account.freeCreditsUsed()).isFalse();
        assertThat(account.openGrants()).singleElement().satisfies(g ->
                assertThat(g.expiresAt()).isEqualTo(ledger.clock.instant().plus(Duration.ofDays(30))));
        List<LedgerEntry> entries = ledger.tx.read(s -> s.ledger().entriesInOrder(created.org().id(), 0, 10));
        assertThat(entries).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(EntryType.SIGNUP_GRANT));
    }

    @Test
    void an_explicit_signup_grant_overrides_the_plan_and_zero_means_none() {
        CreateOrg.Result none = createOrg.execute(CreateOrg.Command.builder()
                .name("Zero").plan("free").signupGrantMicros(0L).build());
        assertThat(none.balance()).isEqualTo(Credits.ZERO);
        assertThat(ledger.account(none.org().id()).lastSequence()).isZero();
        CreateOrg.Result big = createOrg.execute(CreateOrg.Command.builder()
                .name("Big").plan("pro").signupGrantMicros(123_000_000L).build());
        assertThat(big.balance().micros()).isEqualTo(123_000_000L);
        assertRefused(() -> createOrg.execute(CreateOrg.Command.builder()
                .name("X").plan("platinum").build()), BillingError.BAD_REQUEST);
        assertRefused(() -> CreateOrg.Command.builder().name(" ").build(), BillingError.BAD_REQUEST);
    }

    @Test
    void a_grant_retried_after_its_expiry_replays_and_a_new_one_in_the_past_is_refused() {
        OrgId org = createOrg.execute(CreateOrg.Command.builder().name("Acme").plan("pro").build()).org().id();
        Instant expiry = ledger.clock.instant().plus(Duration.ofSeconds(2));
        GrantCredit.Command grant = GrantCredit.Command.builder()
                .orgId(org).amountCents(100).expiresAt(expiry).idempotencyKey("grant-1").build();
        PostedEntry first = grantCredit.execute(grant);
        ledger.clock.advance(Duration.ofSeconds(3));

        // Found by the randomized suite: the client's retry (a lost answer) was refused as "expiresAt in the past".
        PostedEntry retried = grantCredit.execute(grant);
        assertThat(retried.replayed()).isTrue();
        assertThat(retried.entry().id()).isEqualTo(first.entry().id());
        assertRefused(() -> grantCredit.execute(GrantCredit.Command.builder()
                .orgId(org).amountCents(101).expiresAt(expiry).idempotencyKey("grant-1")
                .build()), BillingError.IDEMPOTENCY_CONFLICT);
        assertRefused(() -> grantCredit.execute(GrantCredit.Command.builder()
                .orgId(org).amountCents(100).expiresAt(expiry).idempotencyKey("grant-2")
                .build()), BillingError.BAD_REQUEST);
        assertThat(ledger.account(org).balance()).isEqualTo(Credits.ofCents(100));
    }

    @Test
    void creating_an_org_twice_with_one_key_returns_the_first_org() {
        CreateOrg.Result first = createOrg.execute(CreateOrg.Command.builder()
                .name("Acme").plan("pro").idempotencyKey("create-acme").build());
        CreateOrg.Result again = createOrg.execute(CreateOrg.Command.builder()
                .name("Acme").plan("pro").idempotencyKey("create-acme").build());
        assertThat(again.replayed()).isTrue();
        assertThat(again.org()).isEqualTo(first.org());
        assertRefused(() -> createOrg.execute(CreateOrg.Command.builder()
                .name("Other").plan("pro").idempotencyKey("create-acme").build()),
                BillingError.IDEMPOTENCY_CONFLICT);
    }

    @Test
    void a_promotional_grant_is_credited_once_and_expires_with_one_entry() {
        OrgId org = createOrg.execute(CreateOrg.Command.builder().name("Acme").plan("pro").build()).org().id();
        Instant expiry = ledger.clock.instant().plus(Duration.ofDays(1));
        GrantCredit.Command grant = GrantCredit.Command.builder()
                .orgId(org).amountCents(1_000).expiresAt(expiry).description("launch promo").idempotencyKey("promo-1")
                .build();
        PostedEntry first = grantCredit.execute(grant);
        PostedEntry replay = grantCredit.execute(grant);
        assertThat(first.entry().type()).isEqualTo(EntryType.GRANT);
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.entry()).isEqualTo(first.entry());
        ledger.post(LedgerFixture.usage(org, Credits.ofCents(300).micros(), "use"));

        ledger.clock.set(expiry);
        assertThat(expireGrants.execute(100)).isEqualTo(1);
        assertThat(expireGrants.execute(100)).isZero();
        GetCredits.Result credits = getCredits.forOrg(org);
        assertThat(credits.balance()).isEqualTo(Credits.ofCents(-300).plus(Credits.ofCents(300)));
        assertThat(credits.totals().expired()).isEqualTo(Credits.ofCents(700));
        assertRefused(() -> grantCredit.execute(GrantCredit.Command.builder()
                .orgId(org).amountCents(1).expiresAt(expiry).idempotencyKey("late").build()),
                BillingError.BAD_REQUEST);
    }

    @Test
    void an_adjustment_is_signed_needs_a_reason_and_is_idempotent() {
        OrgId org = ledger.newOrg();
        PostedEntry down = adjustCredit.execute(AdjustCredit.Command.builder()
                .orgId(org).amountCents(-250).reason("double charge").idempotencyKey("adj-1").build());
        assertThat(down.entry().amount()).isEqualTo(Credits.ofCents(-250));
        assertThat(adjustCredit.execute(AdjustCredit.Command.builder()
                .orgId(org).amountCents(-250).reason("double charge").idempotencyKey("adj-1").build())
                .replayed()).isTrue();
        assertRefused(() -> adjustCredit.execute(AdjustCredit.Command.builder()
                .orgId(org).amountCents(250).reason("double charge").idempotencyKey("adj-1").build()),
                BillingError.IDEMPOTENCY_CONFLICT);
        assertRefused(() -> AdjustCredit.Command.builder()
                .orgId(org).amount(Credits.ZERO).reason("x").idempotencyKey("adj-2")
                .build(), BillingError.BAD_REQUEST);
        assertRefused(() -> AdjustCredit.Command.builder()
                .orgId(org).amountCents(1).reason("").idempotencyKey("adj-2").build(), BillingError.BAD_REQUEST);
        assertRefused(() -> AdjustCredit.Command.builder()
                .orgId(org).amountCents(-100_000_000_001L).reason("x").idempotencyKey("adj-2").build(),
                BillingError.BAD_REQUEST);
        assertRefused(() -> GrantCredit.Command.builder()
                .orgId(org).amountCents(100_000_000_001L).idempotencyKey("g-2").build(),
                BillingError.BAD_REQUEST);
        assertThat(AdjustCredit.Command.builder()
                .orgId(org).amountCents(-100_000_000_000L).reason("x").idempotencyKey("adj-2").build().amount())
                .isEqualTo(Credits.ofCents(-100_000_000_000L));
        assertRefused(() -> adjustCredit.execute(AdjustCredit.Command.builder()
                .orgId(new OrgId(UUID.randomUUID())).amountCents(1).reason("x").idempotencyKey("adj-3")
                .build()), BillingError.NOT_FOUND);
        assertThat(getCredits.forOrg(org).totals().used()).isEqualTo(Credits.ofCents(250));
    }

    @Test
    void history_pages_with_an_opaque_cursor_that_only_works_for_its_org() {
        OrgId org = ledger.newOrg();
        for (int i = 0; i < 7; i++) {
            ledger.post(LedgerFixture.topup(org, 1_000 + i, "t" + i));
        }
        Caller caller = callerOf(org);
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            GetCreditHistory.Page page = history.execute(caller, GetCreditHistory.Query.builder()
                    .limit(3).cursor(cursor).types(Set.of()).build());
            page.entries().forEach(e -> seen.add(e.sequence()));
            cursor = page.nextCursor();
            assertThat(page.hasMore()).isEqualTo(cursor != null);
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(7L, 6L, 5L, 4L, 3L, 2L, 1L);

        OrgId other = ledger.newOrg();
        String foreignCursor = history.execute(caller, GetCreditHistory.Query.builder()
                .limit(1).types(Set.of()).build()).nextCursor();
        assertRefused(() -> history.execute(callerOf(other), GetCreditHistory.Query.builder()
                .limit(1).cursor(foreignCursor).types(Set.of()).build()),
                BillingError.BAD_REQUEST);
        assertRefused(() -> history.execute(caller, GetCreditHistory.Query.builder()
                .limit(1).cursor("%%%").types(Set.of()).build()),
                BillingError.BAD_REQUEST);
        assertRefused(() -> history.execute(caller, GetCreditHistory.Query.builder()
                .orgId(other).limit(1).types(Set.of()).build()),
                BillingError.FORBIDDEN);
        assertRefused(() -> GetCreditHistory.Query.builder()
                .limit(0).types(Set.of()).build(), BillingError.BAD_REQUEST);
        assertRefused(() -> GetCreditHistory.Query.builder()
                .limit(501).types(Set.of()).build(), BillingError.BAD_REQUEST);
    }

    @Test
    void the_credit_check_compares_the_committed_balance_with_the_estimate() {
        OrgId org = ledger.newOrg();
        assertThat(checkCredit.execute(new CheckCredit.Command(org, null)).allowed()).isFalse();
        ledger.post(LedgerFixture.topup(org, 1_000, "t"));
        assertThat(checkCredit.execute(new CheckCredit.Command(org, null)).allowed()).isTrue();
        assertThat(checkCredit.execute(new CheckCredit.Command(org, Credits.ofMicros(1_000))).allowed()).isTrue();
        CheckCredit.Result refused = checkCredit.execute(new CheckCredit.Command(org, Credits.ofMicros(1_001)));
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.reason()).isEqualTo(CheckCredit.INSUFFICIENT_CREDITS);
        assertRefused(() -> checkCredit.execute(new CheckCredit.Command(new OrgId(UUID.randomUUID()), null)),
                BillingError.NOT_FOUND);
    }

    @Test
    void the_verifier_finds_a_clean_ledger_clean_and_reports_a_tampered_account() {
        OrgId org = ledger.newOrg();
        ledger.post(List.of(LedgerFixture.topup(org, 1_000, "t"), LedgerFixture.usage(org, 10, "u"),
                LedgerFixture.grant(org, 50, null, "g")));
        assertThat(verifyLedger.execute().clean()).isTrue();

        // Tamper with the account row behind the engine's back: the verifier must notice.
        ledger.tx.inTransaction(s -> {
            Account account = s.ledger().lockAccounts(List.of(org)).get(org);
            Account tampered = new Account(org, account.balance().plus(Credits.ofMicros(1)),
                    account.totals().with(EntryType.TOPUP, Credits.ofMicros(1)), account.lastSequence(), account.openGrants());
            s.ledger().write(List.of(tampered), List.of(), List.of());
            return null;
        });
        VerifyLedger.Report report = verifyLedger.execute();
        assertThat(report.clean()).isFalse();
        assertThat(report.drifts()).extracting(VerifyLedger.Drift::orgId).containsOnly(org);
    }
}
