package io.agentbilling.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.testkit.internal.LedgerFixture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * DESIGN.md rule 5 and the ledger identities, for any sequence of grants, top-ups, debits, card refunds and the
 * passing of time.
 */
class CreditConsumptionPropertiesTest {

    sealed interface Op permits GrantOp, TopupOp, DebitOp, RefundOp, WaitOp {}

    record GrantOp(long micros, Long expiresInSeconds) implements Op {}

    record TopupOp(long micros) implements Op {}

    record DebitOp(long micros) implements Op {}

    record RefundOp(long micros) implements Op {}

    record WaitOp(long seconds) implements Op {}

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Long> amounts = Arbitraries.longs().between(1, 10_000);
        Arbitrary<Op> grant = Combinators.combine(amounts,
                Arbitraries.longs().between(1, 5_000).injectNull(0.3)).as(GrantOp::new);
        Arbitrary<Op> op = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, grant),
                net.jqwik.api.Tuple.of(1, amounts.map(TopupOp::new)),
                net.jqwik.api.Tuple.of(5, amounts.map(DebitOp::new)),
                net.jqwik.api.Tuple.of(1, amounts.map(RefundOp::new)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(1, 3_000).map(WaitOp::new)));
        return op.list().ofMaxSize(60);
    }

    @Property(tries = 400)
    void grants_are_consumed_in_order_never_beyond_their_amount_and_the_ledger_adds_up(
            @ForAll("operations") @Size(max = 60) List<Op> ops) {
        OrgId org = new OrgId(UUID.randomUUID());
        AtomicLong ids = new AtomicLong();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Account account = Account.empty(org);
        Map<GrantId, Credits> grantedAmount = new HashMap<>();
        List<LedgerEntry> all = new ArrayList<>();
        int n = 0;
        for (Op op : ops) {
            if (op instanceof WaitOp wait) {
                now = now.plusSeconds(wait.seconds());
                continue;
            }
            String key = "k" + (n++);
            Posting posting;
            if (op instanceof GrantOp g) {
                posting = LedgerFixture.grant(org, g.micros(),
                        g.expiresInSeconds() == null ? null : now.plusSeconds(g.expiresInSeconds()), key);
            } else if (op instanceof TopupOp t) {
                posting = LedgerFixture.topup(org, t.micros(), key);
            } else if (op instanceof DebitOp d) {
                posting = LedgerFixture.usage(org, d.micros(), key);
            } else {
                posting = Posting.entry(org, EntryType.REFUND, Credits.ofMicros(-((RefundOp) op).micros()),
                        EntryText.NONE, key, key);
            }
            Instant at = now;
            AccountBook.Applied applied = AccountBook.apply(account, List.of(posting), at,
                    () -> new EntryId(new UUID(1, ids.incrementAndGet())),
                    () -> new GrantId(new UUID(2, ids.incrementAndGet())));
            applied.grantWrites().forEach(g -> grantedAmount.putIfAbsent(g.id(), g.amount()));

            // No expired grant survives an application, and none is ever consumed past its amount.
            assertThat(applied.after().openGrants()).allSatisfy(g -> {
                assertThat(g.expires() && !g.expiresAt().isAfter(at)).isFalse();
                assertThat(g.remaining()).isBetween(Credits.ZERO, grantedAmount.get(g.id()));
            });
            if (op instanceof DebitOp) {
                assertConsumedInOrder(account, applied, at);
            }
            account = applied.after();
            all.addAll(applied.entries());
        }
        Credits sum = all.stream().map(LedgerEntry::amount).reduce(Credits.ZERO, Credits::plus);
        assertThat(account.balance()).isEqualTo(sum);
        assertThat(account.totals().impliedBalance()).isEqualTo(account.balance());
        for (int i = 0; i < all.size(); i++) {
            Credits previous = i == 0 ? Credits.ZERO : all.get(i - 1).balanceAfter();
            assertThat(all.get(i).balanceAfter()).isEqualTo(previous.plus(all.get(i).amount()));
            assertThat(all.get(i).sequence()).isEqualTo(i + 1L);
        }
    }

    /**
     * After a debit, the grants (that were live before it) form a prefix of fully consumed lots in consumption order,
     * at most one partially consumed lot, and untouched lots after it; purchased credit is used only when every lot
     * is empty.
     */
    private static void assertConsumedInOrder(Account before, AccountBook.Applied applied, Instant at) {
        List<CreditGrant> live = before.openGrants().stream()
                .filter(g -> !(g.expires() && !g.expiresAt().isAfter(at)))
                .sorted(CreditConsumption.ORDER)
                .toList();
        Map<GrantId, Credits> after = new HashMap<>();
        applied.after().openGrants().forEach(g -> after.put(g.id(), g.remaining()));
        boolean untouchedFromHere = false;
        for (CreditGrant g : live) {
            Credits remaining = after.getOrDefault(g.id(), Credits.ZERO);
            if (untouchedFromHere) {
                assertThat(remaining).isEqualTo(g.remaining());
            } else if (remaining.isPositive()) {
                untouchedFromHere = true;
            }
        }
        // Expiry removes grant credit only, so purchased credit before the debit is the account's.
        Credits purchasedBefore = before.purchased();
        boolean purchasedUsed = applied.after().purchased().isLessThan(purchasedBefore);
        if (purchasedUsed) {
            assertThat(applied.after().granted()).isEqualTo(Credits.ZERO);
        }
    }
}
