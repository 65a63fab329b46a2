package io.agentbilling.core.spendcontrol;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.ledger.AccountBook;
import io.agentbilling.core.ledger.EntryType;
import io.agentbilling.core.ledger.LedgerEntry;
import io.agentbilling.core.ledger.Posting;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.SpendStore;
import io.agentbilling.core.port.SpendStore.MemberRef;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.settlement.internal.SettlementHook;
import io.agentbilling.core.spend.Admission;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.spend.LimitKind;
import io.agentbilling.core.spend.MemberBudget;
import io.agentbilling.core.spend.SpendAttribution;
import io.agentbilling.core.spend.SpendSettings;
import io.agentbilling.core.spend.UtcPeriods;
import io.agentbilling.core.webhooks.Events;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The spend controls' part of every posting transaction ({@link SettlementHook}):
 * <ul>
 *   <li>refuses, before anything is written, a settlement naming a hold or an API key that is not the org's, or a
 *       hold placed for another member (422 naming the field);</li>
 *   <li>captures the holds settlements name: the actual charge is recorded against the hold and, for a final
 *       settlement, the hold closes and the rest of it is released — whatever the charge, even above the hold. A
 *       hold that is no longer active is left as it is and the settlement is charged as usual;</li>
 *   <li>adds each settlement's spend to its key's monthly counter (the key named, or else the captured hold's) and
 *       BYOK calls at list price to the member's daily counter;</li>
 *   <li>records the events the batch causes: {@code balance.low} and {@code balance.depleted} at each crossing,
 *       {@code topup.succeeded} and {@code auto_topup.succeeded} for each top-up entry, {@code budget.threshold} when
 *       a member's spend reaches 80% or 100% of a budget limit.</li>
 * </ul>
 * Runs with the batch's accounts locked, so it sees and writes spend in the same order as admissions do. A batch
 * with no hold, key, member or debit reads nothing. Thread-safe: holds no mutable state.
 */
public final class SpendRecorder implements SettlementHook {
    private static final int[] BUDGET_PERCENTS = {80, 100};

    private final EventOutbox outbox;

    public SpendRecorder(EventOutbox outbox) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
    }

    @Override
    public Map<Integer, BillingException> refusals(Stores stores, List<PostingEngine.Request> requests,
                                                   List<Integer> candidates) {
        Map<OrgId, Set<HoldId>> holdsByOrg = new TreeMap<>();
        Map<OrgId, Set<ApiKeyId>> keysByOrg = new HashMap<>();
        for (int i : candidates) {
            PostingEngine.Request r = requests.get(i);
            OrgId org = r.posting().orgId();
            if (r.spend().holdId() != null) {
                holdsByOrg.computeIfAbsent(org, o -> new LinkedHashSet<>()).add(r.spend().holdId());
            }
            if (r.spend().apiKeyId() != null) {
                keysByOrg.computeIfAbsent(org, o -> new LinkedHashSet<>()).add(r.spend().apiKeyId());
            }
        }
        if (holdsByOrg.isEmpty() && keysByOrg.isEmpty()) {
            return Map.of();
        }
        Map<OrgId, Map<HoldId, Hold>> holds = new HashMap<>();
        holdsByOrg.forEach((org, ids) -> holds.put(org, stores.spend().lockHolds(org, ids)));
        Map<OrgId, Set<ApiKeyId>> knownKeys = new HashMap<>();
        keysByOrg.forEach((org, ids) -> {
            Set<ApiKeyId> known = new HashSet<>();
            ids.forEach(id -> stores.directory().findApiKey(org, id).ifPresent(key -> known.add(id)));
            knownKeys.put(org, known);
        });
        Map<Integer, BillingException> refused = new LinkedHashMap<>();
        for (int i : candidates) {
            PostingEngine.Request r = requests.get(i);
            BillingException refusal = refusal(r, holds.getOrDefault(r.posting().orgId(), Map.of()),
                    knownKeys.getOrDefault(r.posting().orgId(), Set.of()));
            if (refusal != null) {
                refused.put(i, refusal);
            }
        }
        return refused;
    }

    private static BillingException refusal(PostingEngine.Request r, Map<HoldId, Hold> holds, Set<ApiKeyId> keys) {
        SpendAttribution spend = r.spend();
        if (spend.apiKeyId() != null && !keys.contains(spend.apiKeyId())) {
            return BillingException.unprocessable("apiKeyId", "is not an API key of this organization");
        }
        if (spend.holdId() == null) {
            return null;
        }
        Hold hold = holds.get(spend.holdId());
        if (hold == null) {
            return BillingException.unprocessable("holdId", "is not a hold of this organization");
        }
        if (hold.memberId() != null && !hold.memberId().equals(r.posting().memberId())) {
            return BillingException.unprocessable("memberId", "must be the member the hold was placed for ("
                    + hold.memberId() + ")");
        }
        if (spend.apiKeyId() != null && hold.apiKeyId() != null && !hold.apiKeyId().equals(spend.apiKeyId())) {
            return BillingException.unprocessable("apiKeyId", "differs from the key the hold was placed for ("
                    + hold.apiKeyId() + ")");
        }
        return null;
    }

    @Override
    public void afterPostings(Stores stores, List<AccountBook.Applied> accounts, List<Applied> requests,
                              Instant now) {
        Map<OrgId, SpendSettings> settings = settingsIfNeeded(stores, accounts, requests);
        balanceEvents(stores, accounts, settings, now);
        Map<Applied, Hold> captured = captureHolds(stores, requests, now);
        countSpend(stores, requests, captured, now);
        budgetEvents(stores, requests, settings, now);
    }

    /** One query for every org of the batch, and none when nothing in it needs the settings. */
    private static Map<OrgId, SpendSettings> settingsIfNeeded(Stores stores, List<AccountBook.Applied> accounts,
                                                              List<Applied> requests) {
        Set<OrgId> orgs = new HashSet<>();
        for (AccountBook.Applied account : accounts) {
            if (account.entries().stream().anyMatch(e -> e.amount().isNegative())) {
                orgs.add(account.after().orgId());
            }
        }
        for (Applied applied : requests) {
            if (applied.request().posting().memberId() != null) {
                orgs.add(applied.request().posting().orgId());
            }
        }
        return orgs.isEmpty() ? Map.of() : stores.spend().settings(orgs);
    }

    private void balanceEvents(Stores stores, List<AccountBook.Applied> accounts, Map<OrgId, SpendSettings> settings,
                               Instant now) {
        for (AccountBook.Applied account : accounts) {
            OrgId org = account.after().orgId();
            SpendSettings orgSettings = settings.get(org);
            Credits threshold = orgSettings == null ? null : orgSettings.balanceLowThreshold();
            Credits previous = account.before().balance();
            for (LedgerEntry entry : account.entries()) {
                Credits after = entry.balanceAfter();
                if (entry.type() == EntryType.TOPUP || entry.type() == EntryType.AUTO_TOPUP) {
                    outbox.record(stores, Events.topupSucceeded(entry, entry.type() == EntryType.AUTO_TOPUP, now));
                }
                if (previous.isPositive() && !after.isPositive()) {
                    outbox.record(stores, Events.balanceDepleted(entry, now));
                }
                if (threshold != null && previous.isAtLeast(threshold) && after.isLessThan(threshold)) {
                    outbox.record(stores, Events.balanceLow(entry, threshold, now));
                }
                previous = after;
            }
        }
    }

    /** Captures the holds the requests name, in request order per org; returns the captured hold of each request. */
    private Map<Applied, Hold> captureHolds(Stores stores, List<Applied> requests, Instant now) {
        Map<OrgId, List<Applied>> byOrg = new TreeMap<>();
        for (Applied applied : requests) {
            if (applied.request().spend().holdId() != null) {
                byOrg.computeIfAbsent(applied.request().posting().orgId(), o -> new ArrayList<>()).add(applied);
            }
        }
        Map<Applied, Hold> captured = new IdentityHashMap<>();
        for (Map.Entry<OrgId, List<Applied>> org : byOrg.entrySet()) {
            Set<HoldId> ids = new LinkedHashSet<>();
            org.getValue().forEach(a -> ids.add(a.request().spend().holdId()));
            Map<HoldId, Hold> holds = new HashMap<>(stores.spend().lockHolds(org.getKey(), ids));
            Set<HoldId> changed = new LinkedHashSet<>();
            for (Applied applied : org.getValue()) {
                SpendAttribution spend = applied.request().spend();
                Hold hold = holds.get(spend.holdId());
                if (hold == null) {
                    continue; // refused before it was applied; cannot happen for an applied request
                }
                captured.put(applied, hold);
                if (hold.isDueToExpireAt(now)) {
                    Hold expired = hold.expire(now);
                    holds.put(hold.id(), expired);
                    changed.add(hold.id());
                    outbox.record(stores, Events.holdExpired(expired, now));
                } else if (hold.isActiveAt(now)) {
                    holds.put(hold.id(), hold.capture(charge(applied), spend.finalCapture(), now));
                    changed.add(hold.id());
                }
            }
            changed.forEach(id -> stores.spend().updateHold(holds.get(id)));
        }
        return captured;
    }

    /** Key spend (charged and BYOK at list price) and members' BYOK spend, one upsert each per batch. */
    private static void countSpend(Stores stores, List<Applied> requests, Map<Applied, Hold> captured, Instant now) {
        Map<List<Object>, Credits[]> keys = new LinkedHashMap<>();
        Map<List<Object>, Credits> members = new LinkedHashMap<>();
        for (Applied applied : requests) {
            PostingEngine.Request r = applied.request();
            SpendAttribution spend = r.spend();
            Hold hold = captured.get(applied);
            ApiKeyId key = spend.apiKeyId() != null ? spend.apiKeyId() : hold == null ? null : hold.apiKeyId();
            OrgId org = r.posting().orgId();
            LocalDate day = LocalDate.ofInstant(r.usageAt() == null ? now : r.usageAt(), ZoneOffset.UTC);
            Credits charge = charge(applied);
            if (key != null && (charge.isPositive() || spend.byokListPrice().isPositive())) {
                Credits[] sums = keys.computeIfAbsent(List.of(org, key, UtcPeriods.monthStart(day)),
                        k -> new Credits[] {Credits.ZERO, Credits.ZERO});
                sums[0] = sums[0].plus(charge);
                sums[1] = Admission.saturatingPlus(sums[1], spend.byokListPrice());
            }
            MemberId member = r.posting().memberId();
            if (member != null && spend.byokListPrice().isPositive()) {
                members.merge(List.of(org, member, day), spend.byokListPrice(),
                        Admission::saturatingPlus);
            }
        }
        if (!keys.isEmpty()) {
            List<SpendStore.KeySpendIncrement> increments = new ArrayList<>();
            keys.forEach((k, sums) -> increments.add(new SpendStore.KeySpendIncrement((OrgId) k.get(0),
                    (ApiKeyId) k.get(1), (LocalDate) k.get(2), sums[0], sums[1])));
            stores.spend().addKeySpend(increments);
        }
        if (!members.isEmpty()) {
            List<SpendStore.MemberByokIncrement> increments = new ArrayList<>();
            members.forEach((k, sum) -> increments.add(new SpendStore.MemberByokIncrement((OrgId) k.get(0),
                    (MemberId) k.get(1), (LocalDate) k.get(2), sum)));
            stores.spend().addMemberByokSpend(increments);
        }
    }

    /** {@code budget.threshold} for each member of the batch whose spend reached 80% or 100% of a limit. */
    private void budgetEvents(Stores stores, List<Applied> requests, Map<OrgId, SpendSettings> settings,
                              Instant now) {
        Set<MemberRef> spenders = new LinkedHashSet<>();
        for (Applied applied : requests) {
            PostingEngine.Request r = applied.request();
            if (r.posting().memberId() != null
                    && (charge(applied).isPositive() || r.spend().byokListPrice().isPositive())) {
                spenders.add(new MemberRef(r.posting().orgId(), r.posting().memberId()));
            }
        }
        if (spenders.isEmpty()) {
            return;
        }
        Map<MemberRef, MemberBudget> budgets = stores.spend().budgets(spenders);
        LocalDate today = UtcPeriods.day(now);
        for (MemberBudget budget : budgets.values()) {
            SpendSettings orgSettings = settings.getOrDefault(budget.orgId(), SpendSettings.defaults(budget.orgId()));
            SpendReader.Spent spent = SpendReader.memberSpent(stores, orgSettings, budget.memberId(), now);
            if (budget.dailyLimit() != null) {
                thresholds(stores, budget, LimitKind.MEMBER_DAILY, today, budget.dailyLimit(), spent.today(), now);
            }
            if (budget.monthlyLimit() != null) {
                thresholds(stores, budget, LimitKind.MEMBER_MONTHLY, UtcPeriods.monthStart(today),
                        budget.monthlyLimit(), spent.thisMonth(), now);
            }
        }
    }

    private void thresholds(Stores stores, MemberBudget budget, LimitKind kind, LocalDate periodStart, Credits limit,
                            Credits spent, Instant now) {
        for (int percent : BUDGET_PERCENTS) {
            if (reached(spent, limit, percent)) {
                outbox.record(stores, Events.budgetThreshold(budget.orgId(), budget.memberId(), kind, periodStart,
                        limit, spent, percent, now));
            }
        }
    }

    /** {@code spent >= percent% of limit}, exactly (a limit of 0 is reached by any spend). */
    static boolean reached(Credits spent, Credits limit, int percent) {
        BigInteger left = BigInteger.valueOf(spent.micros()).multiply(BigInteger.valueOf(100));
        BigInteger right = BigInteger.valueOf(limit.micros()).multiply(BigInteger.valueOf(percent));
        return left.compareTo(right) >= 0;
    }

    /** What the request charged: zero or positive (a usage posting's amount is the negated charge). */
    private static Credits charge(Applied applied) {
        Posting posting = applied.request().posting();
        Credits amount = applied.record().amount();
        return posting.type() == EntryType.USAGE ? amount.negate() : Credits.ZERO;
    }

}
