package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.ledger.Account;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.CheckoutRecord;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.settlement.internal.AutoTopupTrigger;
import io.agentbilling.core.payment.RedirectAllowList;
import io.agentbilling.core.payment.TopupPolicy;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.testkit.FakePaymentGateway;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.testkit.SequentialIds;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A whole payments setup over the in-memory stores, the fake gateway and a hand-moved clock, with the auto top-up
 * trigger wired into the posting engine as the server wires it.
 */
final class PaymentsWorld {
    static final String APP = "https://app.example.com";

    final MutableClock clock = MutableClock.at("2026-11-27T10:00:00Z");
    final SequentialIds ids = new SequentialIds();
    final InMemoryTransactions memory = new InMemoryTransactions();
    final CrashingTransactions tx = new CrashingTransactions(memory);
    final FakePaymentGateway gateway = new FakePaymentGateway();
    final AutoTopupTrigger trigger = new AutoTopupTrigger(ids);
    final PostingEngine engine = new PostingEngine(clock, ids, trigger);
    final TopupPolicy topupPolicy;
    final AutoTopupPolicy autoPolicy;

    final StartTopup startTopup;
    final VerifyCheckout verifyCheckout;
    final HandlePaymentEvent handleEvent;
    final GetAutoTopup getAutoTopup;
    final UpdateAutoTopup updateAutoTopup;
    RunAutoTopups runAutoTopups;

    PaymentsWorld() {
        this(TopupPolicy.DEFAULT_MAX_AMOUNT_CENTS, AutoTopupPolicy.defaults());
    }

    PaymentsWorld(long maxTopupCents, AutoTopupPolicy autoPolicy) {
        this.topupPolicy = new TopupPolicy(maxTopupCents, APP + "/billing/success", APP + "/billing",
                new RedirectAllowList(Set.of(APP, "http://localhost:3000")));
        this.autoPolicy = autoPolicy;
        startTopup = new StartTopup(tx, gateway, clock, ids, topupPolicy);
        verifyCheckout = new VerifyCheckout(tx, gateway, engine, clock);
        handleEvent = new HandlePaymentEvent(tx, engine, clock, autoPolicy);
        getAutoTopup = new GetAutoTopup(tx);
        updateAutoTopup = new UpdateAutoTopup(tx, autoPolicy);
        runAutoTopups = new RunAutoTopups(tx, gateway, engine, clock, autoPolicy);
    }

    /** An org with an account, one admin and one member. */
    OrgFixture newOrg(String name) {
        OrgId orgId = new OrgId(ids.newId());
        MemberId admin = new MemberId(ids.newId());
        MemberId member = new MemberId(ids.newId());
        memory.inTransaction(stores -> {
            stores.directory().insertOrg(new Org(orgId, name, "free", clock.instant()));
            stores.ledger().createAccount(orgId, clock.instant());
            stores.directory().insertMember(new Member(admin, orgId, "admin@example.com", Role.ADMIN, clock.instant()));
            stores.directory().insertMember(new Member(member, orgId, null, Role.MEMBER, clock.instant()));
            return null;
        });
        return new OrgFixture(orgId, new Caller(orgId, admin, Role.ADMIN, null),
                new Caller(orgId, member, Role.MEMBER, null));
    }

    record OrgFixture(OrgId id, Caller admin, Caller member) {}

    <T> T read(Function<Stores, T> work) {
        return memory.inTransaction(work);
    }

    Optional<CheckoutRecord> checkout(String sessionId) {
        return read(s -> s.payments().findCheckout(sessionId));
    }

    Optional<CheckoutRecord> checkoutByKey(OrgId orgId, String key) {
        return read(s -> s.payments().findCheckoutByKey(orgId, key));
    }

    Optional<PaymentProfile> profile(OrgId orgId) {
        return read(s -> s.payments().profile(orgId));
    }

    AutoTopupSettings settings(OrgId orgId) {
        return read(s -> PaymentOutcomes.settingsOf(s, orgId));
    }

    Credits balance(OrgId orgId) {
        return read(s -> s.ledger().findAccount(orgId).map(Account::balance).orElseThrow());
    }

    List<LedgerEntry> entries(OrgId orgId) {
        return read(s -> s.ledger().entriesInOrder(orgId, 0, 10_000));
    }

    List<LedgerEntry> entries(OrgId orgId, EntryType type) {
        return entries(orgId).stream().filter(e -> e.type() == type).toList();
    }

    List<AutoTopupAttempt> attempts(OrgId orgId) {
        return read(s -> s.payments().attempts(orgId, 1_000));
    }

    /** Usage that spends {@code cents}, through the engine (and so through the auto top-up trigger). */
    PostingEngine.Result spend(OrgId orgId, long cents) {
        String key = "usage-" + ids.newId();
        Posting usage = Posting.usage(orgId, null, Credits.ofCents(cents),
                EntryText.charge("tool", "test usage").withReference(key), key, Fingerprint.of(key));
        return memory.inTransaction(stores -> engine.post(stores, List.of(PostingEngine.Request.of(usage))).get(0));
    }

    /** A card top-up, paid and verified: the org then has a saved card. Returns the session id. */
    String paidTopup(OrgFixture org, long cents) {
        String sessionId = startTopup.execute(StartTopup.Command.builder()
                .caller(org.admin()).amountCents(cents).build())
                .sessionId();
        gateway.payCheckout(sessionId);
        verifyCheckout.execute(new VerifyCheckout.Command(org.member(), sessionId));
        return sessionId;
    }

    /** Enables auto top-up (after a paid top-up saved a card). */
    void enableAutoTopup(OrgFixture org, long thresholdCents, long amountCents) {
        updateAutoTopup.execute(UpdateAutoTopup.Command.builder()
                .caller(org.admin()).enabled(true).thresholdCents(thresholdCents).topupAmountCents(amountCents)
                .build());
    }

    /** Transactions that can be told to fail the next unit of work after its work ran (a crash before commit). */
    static final class CrashingTransactions implements Transactions {
        private final InMemoryTransactions inner;
        private final AtomicBoolean crashNext = new AtomicBoolean();
        private final ThreadLocal<Boolean> inside = ThreadLocal.withInitial(() -> false);

        CrashingTransactions(InMemoryTransactions inner) {
            this.inner = inner;
        }

        void crashNextCommit() {
            crashNext.set(true);
        }

        @Override
        public <T> T inTransaction(Function<Stores, T> work) {
            if (inside.get()) {
                return work.apply(inner.stores());
            }
            inside.set(true);
            try {
                return inner.inTransaction(stores -> {
                    T result = work.apply(stores);
                    if (crashNext.compareAndSet(true, false)) {
                        throw new IllegalStateException("simulated crash before commit");
                    }
                    return result;
                });
            } finally {
                inside.set(false);
            }
        }
    }
}
