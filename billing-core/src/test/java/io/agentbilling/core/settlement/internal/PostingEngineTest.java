package io.agentbilling.core.settlement.internal;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Posting;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.money.Credits;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.internal.LedgerFixture;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageKind;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PostingEngineTest {
    private final LedgerFixture ledger = LedgerFixture.inMemory();

    @Test
    void one_bad_request_does_not_sink_the_rest_of_a_batch() {
        OrgId org = ledger.newOrg();
        OrgId unknown = new OrgId(UUID.randomUUID());
        ledger.post(LedgerFixture.usage(org, 5, "used"));
        List<PostingEngine.Result> results = ledger.post(List.of(
                LedgerFixture.usage(org, 10, "a"),
                LedgerFixture.usage(unknown, 10, "b"),
                LedgerFixture.usage(org, 99, "used"),
                LedgerFixture.usage(org, 20, "c")));
        assertThat(results.get(0).isRejected()).isFalse();
        assertThat(results.get(1).error()).isEqualTo(BillingError.NOT_FOUND);
        assertThat(results.get(2).error()).isEqualTo(BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(results.get(3).record().balanceAfter().micros()).isEqualTo(-35);
        assertThat(ledger.account(org).balance().micros()).isEqualTo(-35);
    }

    @Test
    void a_key_repeated_inside_one_batch_is_applied_once() {
        OrgId org = ledger.newOrg();
        List<PostingEngine.Result> results = ledger.post(List.of(
                LedgerFixture.usage(org, 10, "dup"), LedgerFixture.usage(org, 10, "dup"),
                LedgerFixture.usage(org, 11, "dup")));
        assertThat(results.get(0).replayed()).isFalse();
        assertThat(results.get(1).replayed()).isTrue();
        assertThat(results.get(1).record().entryId()).isEqualTo(results.get(0).record().entryId());
        assertThat(results.get(2).error()).isEqualTo(BillingError.IDEMPOTENCY_CONFLICT);
        assertThat(ledger.account(org).lastSequence()).isEqualTo(1);
    }

    @Test
    void usage_of_a_member_of_another_org_is_refused() {
        OrgId org = ledger.newOrg();
        OrgId other = ledger.newOrg();
        MemberId stranger = ledger.newMember(other);
        MemberId member = ledger.newMember(org);
        PostingEngine.Result refused = ledger.post(Posting.usage(org, stranger, Credits.ofMicros(1),
                EntryText.charge("tool", ""), "k1", "f"));
        PostingEngine.Result accepted = ledger.post(Posting.usage(org, member, Credits.ofMicros(1),
                EntryText.charge("tool", ""), "k2", "f"));
        assertThat(refused.error()).isEqualTo(BillingError.UNPROCESSABLE);
        assertThat(accepted.isRejected()).isFalse();
        assertThat(ledger.account(org).lastSequence()).isEqualTo(1);
    }

    @Test
    void usage_is_rolled_up_with_the_settlement_and_not_on_replay() {
        OrgId org = ledger.newOrg();
        MemberId member = ledger.newMember(org);
        UsageAmounts call = UsageAmounts.tool(member, "search", 1, Credits.ofMicros(100));
        PostingEngine.Request request = new PostingEngine.Request(Posting.usage(org, member, Credits.ofMicros(100),
                EntryText.charge("tool", "search"), "tool-1", "f"), List.of(call), null);
        ledger.tx.inTransaction(s -> ledger.engine.post(s, List.of(request)));
        ledger.tx.inTransaction(s -> ledger.engine.post(s, List.of(request)));
        LocalDate today = LocalDate.of(2026, 11, 27);
        List<UsageAmounts> totals = ledger.tx.read(s -> s.usage().totals(org, null, today, today.plusDays(1)));
        assertThat(totals).singleElement().satisfies(u -> {
            assertThat(u.count()).isEqualTo(1);
            assertThat(u.cost().micros()).isEqualTo(100);
        });
    }

    @Test
    void the_watcher_sees_each_applied_org_once_per_batch_inside_the_transaction() {
        AtomicInteger calls = new AtomicInteger();
        List<Credits> thresholdsCrossed = new ArrayList<>();
        LedgerFixture watched = new LedgerFixture(new InMemoryTransactions(), MutableClock.at("2026-11-27T10:00:00Z"),
                (stores, applied, now) -> {
                    calls.incrementAndGet();
                    if (applied.crossedBelow(Credits.ofMicros(500))) {
                        thresholdsCrossed.add(applied.after().balance());
                    }
                });
        OrgId org = watched.newOrg();
        watched.post(LedgerFixture.topup(org, 1_000, "t"));
        watched.post(List.of(LedgerFixture.usage(org, 300, "a"), LedgerFixture.usage(org, 300, "b")));
        watched.post(LedgerFixture.usage(org, 300, "c"));
        assertThat(calls.get()).isEqualTo(3);
        assertThat(thresholdsCrossed).containsExactly(Credits.ofMicros(400));
    }
}
