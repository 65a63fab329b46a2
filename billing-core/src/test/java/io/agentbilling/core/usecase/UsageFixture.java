package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.EntryText;
import io.agentbilling.core.settlement.internal.DirectSettler;
import io.agentbilling.core.settlement.internal.Settler;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.settlement.internal.BalanceWatcher;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.HistoryQuery;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.money.UnitPrice;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.pricing.DefaultCatalog;
import io.agentbilling.core.pricing.ModelPrice;
import io.agentbilling.core.pricing.PriceCatalog;
import io.agentbilling.core.port.VersionedPriceBook;
import io.agentbilling.testkit.InMemoryTransactions;
import io.agentbilling.testkit.MutableClock;
import io.agentbilling.testkit.SequentialIds;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usage.SandboxMeterPolicy;
import io.agentbilling.core.usage.UsageAmounts;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory world the usage use cases run in: a clock, stores, the posting engine, and a price book of two
 * versions — the built-in catalog, and from {@link #V2_FROM} a copy in which {@code gpt-5} input and {@code small}
 * sandboxes cost double.
 */
final class UsageFixture {
    static final Instant START = Instant.parse("2026-03-10T12:00:00Z");
    static final Instant V2_FROM = Instant.parse("2026-04-01T00:00:00Z");
    static final SandboxMeterPolicy POLICY = new SandboxMeterPolicy(Duration.ofMinutes(2), Duration.ofHours(1));

    final MutableClock clock = new MutableClock(START);
    final SequentialIds ids = new SequentialIds();
    final InMemoryTransactions tx = new InMemoryTransactions();
    final PostingEngine engine = new PostingEngine(clock, ids, BalanceWatcher.NONE);
    final PriceBook prices = new VersionedPriceBook(List.of(DefaultCatalog.create(), v2()), clock);
    final SettlementPricer pricer = new SettlementPricer(prices, clock);
    /** Counts writer calls, so tests can tell one unit of work from many. */
    final AtomicInteger writerCalls = new AtomicInteger();
    final Settler writer = requests -> {
        writerCalls.incrementAndGet();
        return new DirectSettler(tx, engine).settle(requests);
    };

    final SettleModelUsage settleModel = new SettleModelUsage(pricer, writer);
    final SettleToolExecution settleTool = new SettleToolExecution(pricer, writer);
    final SettleStorageUsage settleStorage = new SettleStorageUsage(pricer, writer);
    final SettleResourceCharge settleResource = new SettleResourceCharge(pricer, writer);
    final SettleDeduction settleDeduction = new SettleDeduction(pricer, writer, tx);
    final SettleUsageBatch settleBatch = new SettleUsageBatch(pricer, writer);
    final StartSandboxRuntime startSandbox = new StartSandboxRuntime(tx, prices, clock);
    final HeartbeatSandboxRuntime heartbeat = new HeartbeatSandboxRuntime(tx, clock);
    final SettleSandboxRuntime settleSandbox = new SettleSandboxRuntime(tx, engine, prices, clock);
    final SettleSilentSandboxes sweeper = new SettleSilentSandboxes(tx, engine, prices, clock, POLICY);
    final QuoteSandboxRuntime quote = new QuoteSandboxRuntime(tx, prices, clock);
    final CheckStorageQuota quota = new CheckStorageQuota(tx, prices, clock);
    final GetPricing pricing = new GetPricing(prices, clock);
    final GetUsageReport report = new GetUsageReport(tx, prices, clock, POLICY);

    static PriceCatalog v2() {
        PriceCatalog.Builder b = PriceCatalog.builder("v2", V2_FROM);
        PriceCatalog base = DefaultCatalog.create();
        base.models().forEach((id, price) -> b.model(id, id.equals("gpt-5")
                ? new ModelPrice(UnitPrice.microsPerUnit("250"), price.output(), price.cachedInput()) : price));
        base.sandboxPricesPerSecond().forEach((size, price) -> b.sandboxPerSecond(size,
                size.equals("small") ? UnitPrice.microsPerUnit("2800") : price));
        base.toolPriceOverrides().forEach(b::tool);
        base.resourcePrices().forEach(b::resource);
        base.plans().values().forEach(b::plan);
        return b.storagePerGiBMonth(base.storagePricePerGiBMonth()).toolExecution(base.toolExecutionPrice()).build();
    }

    OrgId newOrg(String plan) {
        OrgId org = new OrgId(ids.newId());
        Instant now = clock.instant();
        tx.inTransaction(stores -> {
            stores.directory().insertOrg(new Org(org, "org " + org, plan, now));
            stores.ledger().createAccount(org, now);
            return null;
        });
        return org;
    }

    OrgId newOrg() {
        return newOrg("pro");
    }

    MemberId newMember(OrgId org, Role role) {
        MemberId member = new MemberId(ids.newId());
        Instant now = clock.instant();
        tx.inTransaction(stores -> {
            stores.directory().insertMember(new Member(member, org, null, role, now));
            return null;
        });
        return member;
    }

    MemberId newMember(OrgId org) {
        return newMember(org, Role.MEMBER);
    }

    Caller caller(OrgId org, MemberId member, Role role) {
        return new Caller(org, member, role, null);
    }

    void topUp(OrgId org, Credits amount) {
        String key = "topup-" + ids.newId();
        tx.inTransaction(stores -> engine.post(stores, List.of(PostingEngine.Request.of(
                Posting.entry(org, EntryType.TOPUP, amount, EntryText.described("top-up"), key, key)))));
    }

    Credits balance(OrgId org) {
        return tx.read(stores -> stores.ledger().findAccount(org).orElseThrow().balance());
    }

    List<LedgerEntry> entries(OrgId org) {
        return tx.read(stores -> stores.ledger().history(
                new HistoryQuery(org, null, HistoryQuery.MAX_LIMIT, Set.of(), null, null)));
    }

    List<UsageAmounts> usage(OrgId org, MemberId member) {
        return tx.read(stores -> stores.usage().totals(org, member, LocalDate.of(2000, 1, 1),
                LocalDate.of(2100, 1, 1)));
    }

    SandboxMeter meter(String sandboxId) {
        return tx.read(stores -> stores.meters().find(sandboxId).orElseThrow());
    }

    Optional<SandboxMeter> findMeter(String sandboxId) {
        return tx.read(stores -> stores.meters().find(sandboxId));
    }

    List<SandboxMeter> openMeters(OrgId org) {
        return tx.read(stores -> stores.meters().openMeters(org, null));
    }

    void advance(Duration by) {
        clock.advance(by);
    }
}
