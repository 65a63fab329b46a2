package io.agentbilling.core.ledger;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The ledger's arithmetic as a pure function: given an org's {@link Account} and the postings to apply (already
 * de-duplicated by idempotency key), it yields the new entries, chained and numbered, the grant lots they touch and
 * the next account state. Every adapter writes exactly what this returns, so the rules live here once.
 *
 * <p>Before any posting, grants whose expiry has passed lose their unconsumed remainder as one {@code expiry} entry
 * each, so that an expired grant is never spent even if the expiry sweeper has not reached the org yet.
 */
public final class AccountBook {
    private AccountBook() {}

    /**
     * @param now the current instant
     */
    public static Applied apply(Account account, List<Posting> postings, Instant now,
                                Supplier<EntryId> entryIds, Supplier<GrantId> grantIds) {
        State state = new State(account, now, entryIds);
        state.expireDueGrants();
        List<Outcome> outcomes = new ArrayList<>(postings.size());
        for (Posting posting : postings) {
            if (!posting.orgId().equals(account.orgId())) {
                throw new IllegalArgumentException("posting for " + posting.orgId() + " applied to " + account.orgId());
            }
            outcomes.add(state.post(posting, grantIds));
        }
        return state.result(outcomes);
    }

    /** What applying postings produced. {@code grantWrites} holds every new or changed grant (closed ones too). */
    public record Applied(Account before, Account after, List<LedgerEntry> entries, List<CreditGrant> grantWrites,
                          List<Outcome> outcomes) {
        /**
         * True when the balance went from at or above {@code threshold} to below it at some entry.
         *
         * @return true when it did
         */
        public boolean crossedBelow(Credits threshold) {
            Credits previous = before.balance();
            for (LedgerEntry entry : entries) {
                if (previous.isAtLeast(threshold) && entry.balanceAfter().isLessThan(threshold)) {
                    return true;
                }
                previous = entry.balanceAfter();
            }
            return false;
        }
    }

    /** The result of one posting: its entry (null when it moved no money), amount and the balance after it. */
    public record Outcome(EntryId entryId, Credits amount, Credits balanceAfter) {}

    private static final class State {
        private final Account before;
        private final Instant now;
        private final Supplier<EntryId> entryIds;
        private final Map<GrantId, CreditGrant> open = new LinkedHashMap<>();
        private final Map<GrantId, CreditGrant> written = new LinkedHashMap<>();
        private final List<LedgerEntry> entries = new ArrayList<>();
        private Credits balance;
        private LedgerTotals totals;
        private long sequence;

        State(Account account, Instant now, Supplier<EntryId> entryIds) {
            this.before = account;
            this.now = now;
            this.entryIds = entryIds;
            this.balance = account.balance();
            this.totals = account.totals();
            this.sequence = account.lastSequence();
            account.openGrants().forEach(g -> open.put(g.id(), g));
        }

        void expireDueGrants() {
            List<CreditGrant> due = open.values().stream()
                    .filter(g -> g.expires() && !g.expiresAt().isAfter(now))
                    .sorted(CreditConsumption.ORDER)
                    .toList();
            for (CreditGrant grant : due) {
                if (grant.remaining().isPositive()) {
                    Posting expiry = Posting.expiry(grant);
                    append(expiry);
                }
                replace(grant.withRemaining(Credits.ZERO).close());
            }
        }

        Outcome post(Posting posting, Supplier<GrantId> grantIds) {
            Credits amount = posting.amount();
            if (amount.isZero()) {
                return new Outcome(null, Credits.ZERO, balance);
            }
            requireRoomFor(posting);
            switch (posting.type()) {
                case GRANT, SIGNUP_GRANT -> openGrant(posting, grantIds.get());
                case EXPIRY -> {
                    CreditGrant grant = open.get(posting.expiringGrant());
                    if (grant == null || !grant.remaining().equals(amount.negate())) {
                        throw new IllegalStateException("expiry of " + posting.expiringGrant()
                                + " does not match an open grant's remainder");
                    }
                    replace(grant.withRemaining(Credits.ZERO).close());
                }
                case USAGE, ADJUSTMENT -> {
                    if (amount.isNegative()) {
                        consume(amount.negate());
                    }
                }
                // Credits that are not grants (top-ups, reversals, usage refunds, positive adjustments) are purchased
                // credit, which is derived; a refund to the card removes purchased credit only, never grant credit.
                case TOPUP, AUTO_TOPUP, REFUND, REVERSAL -> { }
            }
            LedgerEntry entry = append(posting);
            return new Outcome(entry.id(), amount, entry.balanceAfter());
        }

        /**
         * Refuses, before anything changes, a posting that would take the balance or a running total past what a
         * {@code long} of micros holds. Only a caller that has written absurd amounts again and again gets here;
         * it is told so (422), instead of an overflow failing the request with a 500.
         */
        private void requireRoomFor(Posting posting) {
            try {
                balance.plus(posting.amount());
                totals.with(posting.type(), posting.amount());
            } catch (ArithmeticException e) {
                throw BillingException.of(BillingError.UNPROCESSABLE, "the organization's ledger cannot record this "
                        + "amount: its balance or totals would leave the range the ledger keeps", e);
            }
        }

        private void openGrant(Posting posting, GrantId id) {
            Credits purchased = balance.minus(grantedRemaining());
            Credits lot = CreditConsumption.lotRemainderAfterDebt(posting.amount(), purchased);
            CreditGrant grant = new CreditGrant(id, posting.orgId(), posting.grantKind(), posting.amount(), lot, now,
                    posting.grantExpiresAt(), lot.isZero());
            replace(grant);
        }

        private void consume(Credits debit) {
            CreditConsumption.Result result = CreditConsumption.consume(List.copyOf(open.values()), debit);
            for (CreditGrant grant : result.grants()) {
                if (!grant.equals(open.get(grant.id()))) {
                    replace(grant);
                }
            }
        }

        private Credits grantedRemaining() {
            return open.values().stream().map(CreditGrant::remaining).reduce(Credits.ZERO, Credits::plus);
        }

        private void replace(CreditGrant grant) {
            written.put(grant.id(), grant);
            if (grant.isOpen()) {
                open.put(grant.id(), grant);
            } else {
                open.remove(grant.id());
            }
        }

        private LedgerEntry append(Posting posting) {
            balance = balance.plus(posting.amount());
            totals = totals.with(posting.type(), posting.amount());
            sequence++;
            LedgerEntry entry = new LedgerEntry(entryIds.get(), posting.orgId(), sequence, posting.type(),
                    posting.amount(), balance, posting.text(), posting.memberId(), posting.idempotencyKey(), now);
            entries.add(entry);
            return entry;
        }

        Applied result(List<Outcome> outcomes) {
            Account after = new Account(before.orgId(), balance, totals, sequence, List.copyOf(open.values()));
            return new Applied(before, after, List.copyOf(entries), List.copyOf(written.values()), outcomes);
        }
    }
}
