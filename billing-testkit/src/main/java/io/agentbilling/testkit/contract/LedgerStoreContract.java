package io.agentbilling.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.settlement.internal.BalanceWatcher;
import io.agentbilling.core.ledger.CreditGrant;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.HistoryQuery;
import io.agentbilling.core.ledger.IdempotencyRecord;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.testkit.internal.LedgerFixture;
import io.agentbilling.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link io.agentbilling.core.port.LedgerStore} must do, run against the in-memory store and against
 * PostgreSQL. Implementations supply a {@link Transactions} over a store that may hold other tests' data: each test
 * works on fresh org ids.
 */
public abstract class LedgerStoreContract {
    private LedgerFixture ledger;

    /**
     * A unit of work over the store under test. May be shared between tests.
     */
    protected abstract Transactions transactions();

    /**
     * Threads used by the concurrency tests; the PostgreSQL run may use more.
     */
    protected int writerThreads() {
        return 8;
    }

    @BeforeEach
    void setUpLedger() {
        ledger = new LedgerFixture(transactions(), MutableClock.at("2026-11-27T10:00:00Z"), BalanceWatcher.NONE);
    }

    @Test
    void a_new_account_is_empty_and_unknown_orgs_have_none() {
        OrgId org = ledger.newOrg();
        Account account = ledger.account(org);
        assertThat(account.balance()).isEqualTo(Credits.ZERO);
        assertThat(account.lastSequence()).isZero();
        assertThat(account.openGrants()).isEmpty();
        OrgId unknown = new OrgId(UUID.randomUUID());
        Optional<Account> none = ledger.tx.read(s -> s.ledger().findAccount(unknown));
        assertThat(none).isEmpty();
        Map<OrgId, Account> locked = ledger.tx.inTransaction(s -> s.ledger().lockAccounts(List.of(org, unknown)));
        assertThat(locked).containsOnlyKeys(org);
    }

    @Test
    void the_committed_balance_is_read_in_one_call_outside_any_transaction() {
        OrgId org = ledger.newOrg();
        ledger.post(LedgerFixture.topup(org, 1_000, "t1"));
        ledger.post(LedgerFixture.usage(org, 250, "u1"));
        Optional<Credits> balance = ledger.tx.readOne(s -> s.ledger().findBalance(org));
        assertThat(balance).contains(Credits.ofMicros(750));
        Optional<Credits> none = ledger.tx.readOne(s -> s.ledger().findBalance(new OrgId(UUID.randomUUID())));
        assertThat(none).isEmpty();
    }

    @Test
    void a_claimed_key_is_returned_to_the_next_claimer_with_its_outcome() {
        OrgId org = ledger.newOrg();
        Instant now = ledger.clock.instant();
        IdempotencyRecord claim = IdempotencyRecord.claim(org, "key-1", "fp", now);
        Map<IdempotencyRecord.ScopedKey, IdempotencyRecord> first = ledger.tx.inTransaction(s -> {
            Map<IdempotencyRecord.ScopedKey, IdempotencyRecord> taken = s.ledger().claimKeys(List.of(claim));
            s.ledger().completeKeys(List.of(claim.withOutcome(null, Credits.ofMicros(-5), Credits.ofMicros(7), "ref")));
            return taken;
        });
        assertThat(first).isEmpty();
        Map<IdempotencyRecord.ScopedKey, IdempotencyRecord> second = ledger.tx.inTransaction(
                s -> s.ledger().claimKeys(List.of(IdempotencyRecord.claim(org, "key-1", "other", now))));
        assertThat(second).containsOnlyKeys(claim.scopedKey());
        IdempotencyRecord stored = second.get(claim.scopedKey());
        assertThat(stored.fingerprint()).isEqualTo("fp");
        assertThat(stored.amount()).isEqualTo(Credits.ofMicros(-5));
        assertThat(stored.balanceAfter()).isEqualTo(Credits.ofMicros(7));
        assertThat(stored.resultRef()).isEqualTo("ref");
        Optional<IdempotencyRecord> found = ledger.tx.read(s -> s.ledger().findKey(claim.scopedKey()));
        assertThat(found).contains(stored);
    }

    @Test
    void keys_are_scoped_per_org() {
        OrgId a = ledger.newOrg();
        OrgId b = ledger.newOrg();
        assertThat(ledger.post(LedgerFixture.topup(a, 100, "same")).replayed()).isFalse();
        assertThat(ledger.post(LedgerFixture.topup(b, 100, "same")).replayed()).isFalse();
        assertThat(ledger.account(a).balance()).isEqualTo(Credits.ofMicros(100));
        assertThat(ledger.account(b).balance()).isEqualTo(Credits.ofMicros(100));
    }

    @Test
    void replaying_a_key_returns_the_original_outcome_and_writes_nothing() {
        OrgId org = ledger.newOrg();
        PostingEngine.Result first = ledger.post(LedgerFixture.topup(org, 1_000, "t1"));
        ledger.post(LedgerFixture.usage(org, 300, "u1"));
        PostingEngine.Result replay = ledger.post(LedgerFixture.topup(org, 1_000, "t1"));
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.record().entryId()).isEqualTo(first.record().entryId());
        assertThat(replay.record().balanceAfter()).isEqualTo(Credits.ofMicros(1_000));
        assertThat(ledger.account(org).balance()).isEqualTo(Credits.ofMicros(700));
        assertThat(ledger.account(org).lastSequence()).isEqualTo(2);
    }

    @Test
    void replaying_a_key_with_another_payload_is_a_conflict() {
        OrgId org = ledger.newOrg();
        ledger.post(LedgerFixture.usage(org, 300, "u1"));
        PostingEngine.Result conflict = ledger.post(LedgerFixture.usage(org, 301, "u1"));
        assertThat(conflict.error()).isEqualTo(BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(ledger.account(org).balance()).isEqualTo(Credits.ofMicros(-300));
    }

    @Test
    void entries_are_stored_chained_and_read_back_exactly() {
        OrgId org = ledger.newOrg();
        ledger.post(List.of(LedgerFixture.topup(org, 1_000, "a"), LedgerFixture.usage(org, 1, "b"),
                LedgerFixture.usage(org, 2_000, "c")));
        List<LedgerEntry> entries = ledger.tx.read(s -> s.ledger().entriesInOrder(org, 0, 100));
        assertThat(entries).extracting(LedgerEntry::sequence).containsExactly(1L, 2L, 3L);
        assertThat(entries).extracting(e -> e.amount().micros()).containsExactly(1_000L, -1L, -2_000L);
        assertThat(entries).extracting(e -> e.balanceAfter().micros()).containsExactly(1_000L, 999L, -1_001L);
        LedgerEntry usage = entries.get(1);
        assertThat(usage.type()).isEqualTo(EntryType.USAGE);
        assertThat(usage.resource()).isEqualTo("model");
        assertThat(usage.idempotencyKey()).isEqualTo("b");
        assertThat(usage.createdAt()).isEqualTo(ledger.clock.instant());
        Optional<LedgerEntry> byId = ledger.tx.read(s -> s.ledger().findEntry(org, usage.id()));
        assertThat(byId).contains(usage);
        List<LedgerEntry> second = ledger.tx.read(s -> s.ledger().entriesInOrder(org, 1, 1));
        assertThat(second).extracting(LedgerEntry::sequence)
                .containsExactly(2L);
        Account account = ledger.account(org);
        assertThat(account.balance().micros()).isEqualTo(-1_001);
        assertThat(account.totals().granted().micros()).isEqualTo(1_000);
        assertThat(account.totals().used().micros()).isEqualTo(2_001);
    }

    @Test
    void history_pages_newest_first_by_sequence_with_filters() {
        OrgId org = ledger.newOrg();
        for (int i = 1; i <= 5; i++) {
            ledger.post(LedgerFixture.topup(org, i, "t" + i));
            ledger.clock.advance(Duration.ofMinutes(1));
            ledger.post(LedgerFixture.usage(org, i, "u" + i));
            ledger.clock.advance(Duration.ofMinutes(1));
        }
        List<LedgerEntry> page = ledger.tx.read(s -> s.ledger().history(new HistoryQuery(org, null, 4, Set.of(), null, null)));
        assertThat(page).extracting(LedgerEntry::sequence).containsExactly(10L, 9L, 8L, 7L);
        List<LedgerEntry> next = ledger.tx.read(s -> s.ledger().history(new HistoryQuery(org, 7L, 4, Set.of(), null, null)));
        assertThat(next).extracting(LedgerEntry::sequence).containsExactly(6L, 5L, 4L, 3L);
        List<LedgerEntry> topups = ledger.tx.read(s -> s.ledger().history(
                new HistoryQuery(org, null, 10, Set.of(EntryType.TOPUP), null, null)));
        assertThat(topups).extracting(LedgerEntry::sequence).containsExactly(9L, 7L, 5L, 3L, 1L);
        Instant from = Instant.parse("2026-11-27T10:02:00Z");
        Instant to = Instant.parse("2026-11-27T10:05:00Z");
        List<LedgerEntry> window = ledger.tx.read(s -> s.ledger().history(new HistoryQuery(org, null, 10, Set.of(), from, to)));
        assertThat(window).extracting(LedgerEntry::sequence).containsExactly(5L, 4L, 3L);
        OrgId other = ledger.newOrg();
        List<LedgerEntry> otherHistory = ledger.tx.read(s -> s.ledger().history(new HistoryQuery(other, null, 10, Set.of(), null, null)));
        assertThat(otherHistory).isEmpty();
    }

    @Test
    void grant_lots_are_stored_and_due_grants_found() {
        OrgId org = ledger.newOrg();
        Instant soon = ledger.clock.instant().plus(Duration.ofHours(1));
        ledger.post(List.of(LedgerFixture.grant(org, 500, soon, "g1"), LedgerFixture.grant(org, 300, null, "g2"),
                LedgerFixture.usage(org, 200, "u")));
        List<CreditGrant> grants = ledger.tx.read(s -> s.ledger().grants(org));
        assertThat(grants).hasSize(2);
        assertThat(grants).filteredOn(g -> g.expiresAt() != null).singleElement()
                .satisfies(g -> assertThat(g.remaining().micros()).isEqualTo(300));
        assertThat(ledger.account(org).openGrants()).hasSize(2);
        assertThat(due(soon.minusSeconds(1))).doesNotContain(org);
        assertThat(due(soon)).contains(org);

        ledger.clock.set(soon);
        int changed = ledger.tx.inTransaction(s -> ledger.engine.expireDueGrants(s, List.of(org)));
        assertThat(changed).isEqualTo(1);
        assertThat(ledger.account(org).balance().micros()).isEqualTo(300);
        List<CreditGrant> afterExpiry = ledger.tx.read(s -> s.ledger().grants(org));
        assertThat(afterExpiry).filteredOn(CreditGrant::closed).hasSize(1);
        assertThat(due(soon)).doesNotContain(org);
    }

    @Test
    void a_unit_of_work_that_throws_leaves_nothing_behind() {
        OrgId org = ledger.newOrg();
        ledger.post(LedgerFixture.topup(org, 1_000, "t"));
        assertThatThrownBy(() -> ledger.tx.inTransaction(s -> {
            ledger.engine.post(s, List.of(PostingEngine.Request.of(LedgerFixture.usage(org, 400, "u"))));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);
        Account account = ledger.account(org);
        assertThat(account.balance().micros()).isEqualTo(1_000);
        assertThat(account.lastSequence()).isEqualTo(1);
        Optional<IdempotencyRecord> key = ledger.tx.read(s -> s.ledger().findKey(new IdempotencyRecord.ScopedKey(org, "u")));
        assertThat(key).isEmpty();
        assertThat(ledger.post(LedgerFixture.usage(org, 400, "u")).replayed()).isFalse();
    }

    @Test
    void account_ids_page_in_id_order() {
        OrgId a = ledger.newOrg();
        OrgId b = ledger.newOrg();
        List<OrgId> all = new ArrayList<>();
        OrgId after = null;
        while (true) {
            OrgId cursor = after;
            List<OrgId> page = ledger.tx.read(s -> s.ledger().accountIds(cursor, 50));
            all.addAll(page);
            if (page.size() < 50) {
                break;
            }
            after = page.get(page.size() - 1);
        }
        assertThat(all).contains(a, b).doesNotHaveDuplicates();
        assertThat(all).isSorted();
    }

    @Test
    void concurrent_debits_never_lose_an_update() throws Exception {
        OrgId org = ledger.newOrg();
        int threads = writerThreads();
        int perThread = 50;
        List<Callable<Void>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            work.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    PostingEngine.Result r = ledger.post(LedgerFixture.usage(org, 7, "d-" + thread + "-" + i));
                    assertThat(r.isRejected()).isFalse();
                }
                return null;
            });
        }
        runAtOnce(work);
        Account account = ledger.account(org);
        assertThat(account.balance().micros()).isEqualTo(-7L * threads * perThread);
        assertThat(account.lastSequence()).isEqualTo((long) threads * perThread);
    }

    @Test
    void the_same_key_sent_by_many_threads_at_once_yields_one_entry() throws Exception {
        OrgId org = ledger.newOrg();
        int threads = writerThreads();
        List<Callable<PostingEngine.Result>> work = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            work.add(() -> ledger.post(LedgerFixture.usage(org, 42, "one-key")));
        }
        List<PostingEngine.Result> results = runAtOnce(work);
        assertThat(results).filteredOn(r -> !r.replayed()).hasSize(1);
        assertThat(results).filteredOn(PostingEngine.Result::replayed).hasSize(threads - 1);
        assertThat(results).extracting(r -> r.record().entryId()).containsOnly(results.get(0).record().entryId());
        assertThat(ledger.account(org).lastSequence()).isEqualTo(1);
        assertThat(ledger.account(org).balance().micros()).isEqualTo(-42);
    }

    private List<OrgId> due(Instant asOf) {
        return ledger.tx.read(s -> s.ledger().orgsWithGrantsDue(asOf, 10_000));
    }

    /**
     * @param work the work to run
     */
    protected static <T> List<T> runAtOnce(List<Callable<T>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : work) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
