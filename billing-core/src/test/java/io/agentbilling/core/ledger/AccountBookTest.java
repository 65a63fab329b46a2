package io.agentbilling.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.testkit.internal.LedgerFixture;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AccountBookTest {
    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private final OrgId org = new OrgId(UUID.randomUUID());
    private final AtomicLong ids = new AtomicLong();

    private AccountBook.Applied apply(Account account, Instant at, Posting... postings) {
        return AccountBook.apply(account, List.of(postings), at, () -> new EntryId(new UUID(1, ids.incrementAndGet())),
                () -> new GrantId(new UUID(2, ids.incrementAndGet())));
    }

    @Test
    void entries_chain_and_number_from_one() {
        AccountBook.Applied applied = apply(Account.empty(org), NOW,
                LedgerFixture.topup(org, 1_000, "a"), LedgerFixture.usage(org, 300, "b"), LedgerFixture.usage(org, 900, "c"));
        List<LedgerEntry> entries = applied.entries();
        assertThat(entries).extracting(LedgerEntry::sequence).containsExactly(1L, 2L, 3L);
        assertThat(entries).extracting(e -> e.balanceAfter().micros()).containsExactly(1_000L, 700L, -200L);
        assertThat(applied.after().balance()).isEqualTo(Credits.ofMicros(-200));
        assertThat(applied.after().lastSequence()).isEqualTo(3);
    }

    @Test
    void a_posting_that_would_overflow_the_balance_or_a_total_is_refused_before_anything_changes() {
        Account nearFloor = apply(Account.empty(org), NOW,
                LedgerFixture.usage(org, Long.MAX_VALUE - 10, "huge")).after();
        assertThatThrownBy(() -> apply(nearFloor, NOW, LedgerFixture.usage(org, 100, "one more")))
                .isInstanceOfSatisfying(BillingException.class,
                        e -> assertThat(e.error()).isEqualTo(BillingError.UNPROCESSABLE));
        Account nearCeiling = apply(Account.empty(org), NOW, LedgerFixture.topup(org, Long.MAX_VALUE - 10, "t")).after();
        assertThatThrownBy(() -> apply(nearCeiling, NOW, LedgerFixture.grant(org, 100, null, "g")))
                .isInstanceOf(BillingException.class);
        assertThat(apply(nearCeiling, NOW, LedgerFixture.usage(org, 100, "spend")).after().balance().micros())
                .isEqualTo(Long.MAX_VALUE - 110);
    }

    @Test
    void totals_follow_the_meaning_of_each_entry_type() {
        Account account = apply(Account.empty(org), NOW,
                LedgerFixture.topup(org, 10_000, "t"),
                LedgerFixture.usage(org, 3_000, "u"),
                Posting.entry(org, EntryType.REVERSAL, Credits.ofMicros(1_000), EntryText.charge("model", ""), "r", "r"),
                Posting.entry(org, EntryType.REFUND, Credits.ofMicros(-2_000), EntryText.NONE, "rc", "rc"),
                Posting.entry(org, EntryType.REFUND, Credits.ofMicros(500), EntryText.NONE, "ru", "ru"),
                Posting.entry(org, EntryType.ADJUSTMENT, Credits.ofMicros(-700), EntryText.described("fix"), "a1", "a1"),
                Posting.entry(org, EntryType.ADJUSTMENT, Credits.ofMicros(200), EntryText.described("fix"), "a2", "a2")).after();
        LedgerTotals totals = account.totals();
        assertThat(totals.granted().micros()).isEqualTo(10_000 + 500 + 200);
        assertThat(totals.used().micros()).isEqualTo(3_000 - 1_000 + 700);
        assertThat(totals.refundedToCard().micros()).isEqualTo(2_000);
        assertThat(totals.impliedBalance()).isEqualTo(account.balance());
        assertThat(account.balance().micros()).isEqualTo(10_000 - 3_000 + 1_000 - 2_000 + 500 - 700 + 200);
    }

    @Test
    void grants_expiring_soonest_are_consumed_first_then_non_expiring_then_purchased() {
        Account account = apply(Account.empty(org), NOW,
                LedgerFixture.topup(org, 1_000, "buy"),
                LedgerFixture.grant(org, 100, null, "forever"),
                LedgerFixture.grant(org, 100, NOW.plusSeconds(7200), "late"),
                LedgerFixture.grant(org, 100, NOW.plusSeconds(3600), "soon")).after();
        Account afterDebit = apply(account, NOW, LedgerFixture.usage(org, 150, "spend")).after();
        assertThat(remainingByExpiry(afterDebit, NOW.plusSeconds(3600))).isNull(); // used up and closed
        assertThat(remainingByExpiry(afterDebit, NOW.plusSeconds(7200))).isEqualTo(50);
        assertThat(remainingByExpiry(afterDebit, null)).isEqualTo(100);
        assertThat(afterDebit.purchased().micros()).isEqualTo(1_000);

        Account drained = apply(afterDebit, NOW, LedgerFixture.usage(org, 400, "more")).after();
        assertThat(drained.openGrants()).isEmpty();
        assertThat(drained.purchased().micros()).isEqualTo(1_000 - 250);
    }

    @Test
    void an_expired_grant_leaves_its_remainder_as_one_expiry_entry_before_anything_else() {
        Instant expiry = NOW.plusSeconds(60);
        Account account = apply(Account.empty(org), NOW, LedgerFixture.grant(org, 1_000, expiry, "g"),
                LedgerFixture.usage(org, 400, "u")).after();
        AccountBook.Applied later = apply(account, expiry, LedgerFixture.usage(org, 100, "late-usage"));
        assertThat(later.entries()).extracting(LedgerEntry::type).containsExactly(EntryType.EXPIRY, EntryType.USAGE);
        assertThat(later.entries().get(0).amount().micros()).isEqualTo(-600);
        assertThat(later.after().balance().micros()).isEqualTo(-100);
        assertThat(later.after().totals().expired().micros()).isEqualTo(600);
        assertThat(later.grantWrites()).singleElement().satisfies(g -> assertThat(g.closed()).isTrue());
    }

    @Test
    void new_grant_credit_first_pays_off_a_negative_balance() {
        Account inDebt = apply(Account.empty(org), NOW, LedgerFixture.usage(org, 300, "u")).after();
        Account granted = apply(inDebt, NOW, LedgerFixture.grant(org, 1_000, NOW.plusSeconds(60), "g")).after();
        assertThat(granted.balance().micros()).isEqualTo(700);
        assertThat(granted.granted().micros()).isEqualTo(700);
        assertThat(granted.purchased().micros()).isZero();
        Account expired = apply(granted, NOW.plusSeconds(60)).after();
        assertThat(expired.balance().micros()).isZero();
    }

    @Test
    void a_refund_to_the_card_never_takes_grant_credit() {
        Account account = apply(Account.empty(org), NOW, LedgerFixture.topup(org, 500, "t"),
                LedgerFixture.grant(org, 1_000, null, "g")).after();
        Account refunded = apply(account, NOW,
                Posting.entry(org, EntryType.REFUND, Credits.ofMicros(-500), EntryText.NONE, "r", "r")).after();
        assertThat(refunded.granted().micros()).isEqualTo(1_000);
        assertThat(refunded.purchased().micros()).isZero();
    }

    @Test
    void free_credits_are_used_once_the_signup_grant_is_consumed() {
        Posting signup = Posting.grant(org, GrantKind.SIGNUP, Credits.ofMicros(100), null, "signup", "s", "s");
        Account account = apply(Account.empty(org), NOW, signup).after();
        assertThat(account.freeCreditsUsed()).isFalse();
        assertThat(apply(account, NOW, LedgerFixture.usage(org, 99, "u")).after().freeCreditsUsed()).isFalse();
        assertThat(apply(account, NOW, LedgerFixture.usage(org, 100, "u")).after().freeCreditsUsed()).isTrue();
    }

    @Test
    void a_zero_amount_posting_writes_no_entry() {
        AccountBook.Applied applied = apply(Account.empty(org), NOW,
                Posting.usage(org, null, Credits.ZERO, EntryText.charge("model", "byok"), "z", "z"));
        assertThat(applied.entries()).isEmpty();
        assertThat(applied.outcomes()).singleElement().satisfies(o -> assertThat(o.entryId()).isNull());
    }

    @Test
    void crossing_below_a_threshold_is_detected_per_entry() {
        Account account = apply(Account.empty(org), NOW, LedgerFixture.topup(org, 1_000, "t")).after();
        assertThat(apply(account, NOW, LedgerFixture.usage(org, 500, "a")).crossedBelow(Credits.ofMicros(500))).isFalse();
        assertThat(apply(account, NOW, LedgerFixture.usage(org, 501, "a")).crossedBelow(Credits.ofMicros(500))).isTrue();
        Account below = apply(account, NOW, LedgerFixture.usage(org, 900, "a")).after();
        assertThat(apply(below, NOW, LedgerFixture.usage(org, 1, "b")).crossedBelow(Credits.ofMicros(500))).isFalse();
    }

    @Test
    void a_posting_for_another_org_is_refused() {
        Posting other = LedgerFixture.usage(new OrgId(UUID.randomUUID()), 1, "x");
        assertThatThrownBy(() -> apply(Account.empty(org), NOW, other)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Long remainingByExpiry(Account account, Instant expiresAt) {
        return account.openGrants().stream()
                .filter(g -> java.util.Objects.equals(g.expiresAt(), expiresAt))
                .map(g -> g.remaining().micros())
                .findFirst().orElse(null);
    }
}
