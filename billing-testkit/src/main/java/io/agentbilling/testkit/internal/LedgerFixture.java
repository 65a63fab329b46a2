package io.agentbilling.testkit.internal;

import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.settlement.internal.BalanceWatcher;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.GrantKind;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.SecureIdGenerator;
import io.agentbilling.core.port.Transactions;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A ledger to test against: any {@link Transactions} (in-memory by default, PostgreSQL in the adapter's tests), a
 * controllable clock and a posting engine, with shorthands for orgs, members and postings.
 */
public final class LedgerFixture {
    public final Transactions tx;
    public final MutableClock clock;
    public final IdGenerator ids;
    public final PostingEngine engine;

    /**
     * @param clock the clock that tells the time
     */
    public LedgerFixture(Transactions tx, MutableClock clock, BalanceWatcher watcher) {
        this.tx = tx;
        this.clock = clock;
        this.ids = new SecureIdGenerator();
        this.engine = new PostingEngine(clock, ids, watcher);
    }

    public static LedgerFixture inMemory() {
        return new LedgerFixture(new InMemoryTransactions(), MutableClock.at("2026-11-27T10:00:00Z"), BalanceWatcher.NONE);
    }

    public OrgId newOrg() {
        OrgId orgId = new OrgId(UUID.randomUUID());
        Instant now = clock.instant();
        tx.inTransaction(stores -> {
            stores.directory().insertOrg(new Org(orgId, "org " + orgId, "free", now));
            stores.ledger().createAccount(orgId, now);
            return null;
        });
        return orgId;
    }

    /**
     * @param orgId the organization
     */
    public MemberId newMember(OrgId orgId) {
        MemberId memberId = new MemberId(UUID.randomUUID());
        tx.inTransaction(stores -> {
            stores.directory().insertMember(new Member(memberId, orgId, null, Role.MEMBER, clock.instant()));
            return null;
        });
        return memberId;
    }

    /**
     * @return the posting engine.result
     */
    public PostingEngine.Result post(Posting posting) {
        return tx.inTransaction(stores -> engine.post(stores, List.of(PostingEngine.Request.of(posting))).get(0));
    }

    public List<PostingEngine.Result> post(List<Posting> postings) {
        return tx.inTransaction(stores -> engine.post(stores,
                postings.stream().map(PostingEngine.Request::of).toList()));
    }

    /**
     * @param orgId the organization
     */
    public Account account(OrgId orgId) {
        return tx.read(stores -> stores.ledger().findAccount(orgId)).orElseThrow();
    }

    /**
     * @param orgId the organization
     * @param micros the amount in micros
     */
    public static Posting usage(OrgId orgId, long micros, String key) {
        return Posting.usage(orgId, null, Credits.ofMicros(micros), EntryText.charge("model", "usage"), key,
                "usage:" + micros);
    }

    /**
     * @param orgId the organization
     * @param micros the amount in micros
     */
    public static Posting topup(OrgId orgId, long micros, String key) {
        return Posting.entry(orgId, EntryType.TOPUP, Credits.ofMicros(micros), EntryText.described("top-up"), key,
                "topup:" + micros);
    }

    /**
     * @param orgId the organization
     * @param micros the amount in micros
     * @param expiresAt when it expires; null = never
     */
    public static Posting grant(OrgId orgId, long micros, Instant expiresAt, String key) {
        return Posting.grant(orgId, GrantKind.PROMOTIONAL, Credits.ofMicros(micros), expiresAt, "promo", key,
                "grant:" + micros + ":" + expiresAt);
    }
}
