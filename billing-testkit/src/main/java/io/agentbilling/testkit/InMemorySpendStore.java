package io.agentbilling.testkit;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.SpendStore;
import io.agentbilling.core.spend.Admission;
import io.agentbilling.core.spend.ApiKeyCap;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.spend.HoldStatus;
import io.agentbilling.core.spend.MemberBudget;
import io.agentbilling.core.spend.SpendSettings;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * In-memory {@link SpendStore}; mutations are journaled for rollback by {@link InMemoryTransactions}, whose global
 * lock makes every insert-if-absent atomic and every {@code lock…} method a plain read.
 */
final class InMemorySpendStore implements SpendStore {
    private static final Comparator<HoldId> HOLD_ORDER = Comparator.comparing(h -> h.value().toString());

    private final InMemoryTransactions tx;
    private final Map<OrgId, SpendSettings> settings = new HashMap<>();
    private final Map<MemberRef, MemberBudget> budgets = new HashMap<>();
    private final Map<KeyRef, ApiKeyCap> caps = new HashMap<>();
    private final Map<KeyMonth, Credits[]> keySpend = new HashMap<>();
    private final Map<MemberDay, Credits> memberByok = new HashMap<>();
    private final Map<HoldId, Hold> holds = new LinkedHashMap<>();

    private record KeyRef(OrgId orgId, ApiKeyId keyId) {}

    private record KeyMonth(OrgId orgId, ApiKeyId keyId, LocalDate month) {}

    private record MemberDay(OrgId orgId, MemberId memberId, LocalDate day) {}

    InMemorySpendStore(InMemoryTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<SpendSettings> settings(OrgId orgId) {
        tx.requireTransaction();
        return Optional.ofNullable(settings.get(orgId));
    }

    @Override
    public Map<OrgId, SpendSettings> settings(Collection<OrgId> orgIds) {
        tx.requireTransaction();
        Map<OrgId, SpendSettings> found = new HashMap<>();
        orgIds.forEach(org -> {
            if (settings.containsKey(org)) {
                found.put(org, settings.get(org));
            }
        });
        return found;
    }

    @Override
    public void saveSettings(SpendSettings value) {
        tx.requireTransaction();
        put(settings, value.orgId(), value);
    }

    @Override
    public Optional<MemberBudget> budget(OrgId orgId, MemberId memberId) {
        tx.requireTransaction();
        return Optional.ofNullable(budgets.get(new MemberRef(orgId, memberId)));
    }

    @Override
    public List<MemberBudget> budgets(OrgId orgId) {
        tx.requireTransaction();
        return budgets.values().stream().filter(b -> b.orgId().equals(orgId))
                .sorted(Comparator.comparing(b -> b.memberId().value().toString())).toList();
    }

    @Override
    public Map<MemberRef, MemberBudget> budgets(Collection<MemberRef> members) {
        tx.requireTransaction();
        Map<MemberRef, MemberBudget> found = new HashMap<>();
        members.forEach(m -> {
            if (budgets.containsKey(m)) {
                found.put(m, budgets.get(m));
            }
        });
        return found;
    }

    @Override
    public void saveBudget(MemberBudget budget) {
        tx.requireTransaction();
        put(budgets, new MemberRef(budget.orgId(), budget.memberId()), budget);
    }

    @Override
    public void deleteBudget(OrgId orgId, MemberId memberId) {
        tx.requireTransaction();
        remove(budgets, new MemberRef(orgId, memberId));
    }

    @Override
    public Optional<ApiKeyCap> cap(OrgId orgId, ApiKeyId keyId) {
        tx.requireTransaction();
        return Optional.ofNullable(caps.get(new KeyRef(orgId, keyId)));
    }

    @Override
    public List<ApiKeyCap> caps(OrgId orgId) {
        tx.requireTransaction();
        return caps.values().stream().filter(c -> c.orgId().equals(orgId))
                .sorted(Comparator.comparing(c -> c.keyId().value().toString())).toList();
    }

    @Override
    public void saveCap(ApiKeyCap cap) {
        tx.requireTransaction();
        put(caps, new KeyRef(cap.orgId(), cap.keyId()), cap);
    }

    @Override
    public void deleteCap(OrgId orgId, ApiKeyId keyId) {
        tx.requireTransaction();
        remove(caps, new KeyRef(orgId, keyId));
    }

    @Override
    public void addKeySpend(List<KeySpendIncrement> increments) {
        tx.requireTransaction();
        for (KeySpendIncrement add : increments) {
            KeyMonth key = new KeyMonth(add.orgId(), add.keyId(), add.monthStart());
            Credits[] previous = keySpend.get(key);
            Credits[] next = previous == null ? new Credits[] {add.charged(), add.byokList()}
                    : new Credits[] {previous[0].plus(add.charged()),
                    Admission.saturatingPlus(previous[1], add.byokList())};
            put(keySpend, key, next);
        }
    }

    @Override
    public KeySpendTotals keySpend(OrgId orgId, ApiKeyId keyId, LocalDate monthStart) {
        tx.requireTransaction();
        return keySpendByKey(orgId, monthStart).getOrDefault(keyId, KeySpendTotals.NONE);
    }

    @Override
    public Map<ApiKeyId, KeySpendTotals> keySpendByKey(OrgId orgId, LocalDate monthStart) {
        tx.requireTransaction();
        Map<ApiKeyId, KeySpendTotals> totals = new HashMap<>();
        keySpend.forEach((key, sums) -> {
            if (!key.orgId().equals(orgId)) {
                return;
            }
            KeySpendTotals t = totals.getOrDefault(key.keyId(), KeySpendTotals.NONE);
            boolean thisMonth = key.month().equals(monthStart);
            totals.put(key.keyId(), new KeySpendTotals(
                    thisMonth ? t.chargedThisMonth().plus(sums[0]) : t.chargedThisMonth(),
                    thisMonth ? Admission.saturatingPlus(t.byokThisMonth(), sums[1]) : t.byokThisMonth(),
                    t.chargedLifetime().plus(sums[0]), Admission.saturatingPlus(t.byokLifetime(), sums[1])));
        });
        return totals;
    }

    @Override
    public void addMemberByokSpend(List<MemberByokIncrement> increments) {
        tx.requireTransaction();
        for (MemberByokIncrement add : increments) {
            MemberDay key = new MemberDay(add.orgId(), add.memberId(), add.day());
            Credits previous = memberByok.get(key);
            put(memberByok, key, previous == null ? add.byokList() : Admission.saturatingPlus(previous, add.byokList()));
        }
    }

    @Override
    public Credits memberByokSpend(OrgId orgId, MemberId memberId, LocalDate from, LocalDate to) {
        tx.requireTransaction();
        return memberByokSpendByMember(orgId, from, to).getOrDefault(memberId, Credits.ZERO);
    }

    @Override
    public Map<MemberId, Credits> memberByokSpendByMember(OrgId orgId, LocalDate from, LocalDate to) {
        tx.requireTransaction();
        Map<MemberId, Credits> sums = new HashMap<>();
        memberByok.forEach((key, amount) -> {
            if (key.orgId().equals(orgId) && !key.day().isBefore(from) && key.day().isBefore(to)) {
                sums.merge(key.memberId(), amount, Admission::saturatingPlus);
            }
        });
        return sums;
    }

    @Override
    public boolean insertHold(Hold hold) {
        tx.requireTransaction();
        if (holds.containsKey(hold.id()) || findHoldByKey(hold.orgId(), hold.idempotencyKey()).isPresent()) {
            return false;
        }
        put(holds, hold.id(), hold);
        return true;
    }

    @Override
    public Optional<Hold> findHold(OrgId orgId, HoldId holdId) {
        tx.requireTransaction();
        return Optional.ofNullable(holds.get(holdId)).filter(h -> h.orgId().equals(orgId));
    }

    @Override
    public Optional<Hold> findHold(HoldId holdId) {
        tx.requireTransaction();
        return Optional.ofNullable(holds.get(holdId));
    }

    @Override
    public Optional<Hold> findHoldByKey(OrgId orgId, String idempotencyKey) {
        tx.requireTransaction();
        return holds.values().stream()
                .filter(h -> h.orgId().equals(orgId) && h.idempotencyKey().equals(idempotencyKey)).findFirst();
    }

    @Override
    public Map<HoldId, Hold> lockHolds(OrgId orgId, Collection<HoldId> holdIds) {
        tx.requireTransaction();
        Map<HoldId, Hold> found = new LinkedHashMap<>();
        TreeSet<HoldId> ordered = new TreeSet<>(HOLD_ORDER);
        ordered.addAll(holdIds);
        ordered.forEach(id -> findHold(orgId, id).ifPresent(h -> found.put(id, h)));
        return found;
    }

    @Override
    public Optional<Hold> findActiveHoldOfSandbox(OrgId orgId, String sandboxId) {
        tx.requireTransaction();
        return holds.values().stream().filter(h -> h.orgId().equals(orgId) && h.status() == HoldStatus.ACTIVE
                && sandboxId.equals(h.sandboxId())).findFirst();
    }

    @Override
    public void updateHold(Hold hold) {
        tx.requireTransaction();
        Hold stored = holds.get(hold.id());
        if (stored == null || !stored.orgId().equals(hold.orgId())) {
            throw new IllegalStateException("no hold " + hold.id() + " of " + hold.orgId());
        }
        put(holds, hold.id(), hold);
    }

    @Override
    public HeldAmounts held(OrgId orgId, MemberId memberId, ApiKeyId keyId, Instant now) {
        tx.requireTransaction();
        Credits org = Credits.ZERO;
        Credits member = Credits.ZERO;
        Credits key = Credits.ZERO;
        for (Hold hold : holds.values()) {
            if (!hold.orgId().equals(orgId) || !hold.isActiveAt(now)) {
                continue;
            }
            org = org.plus(hold.reserved());
            if (memberId != null && memberId.equals(hold.memberId())) {
                member = member.plus(hold.reserved());
            }
            if (keyId != null && keyId.equals(hold.apiKeyId())) {
                key = key.plus(hold.reserved());
            }
        }
        return new HeldAmounts(org, member, key);
    }

    @Override
    public Map<MemberId, Credits> heldByMember(OrgId orgId, Instant now) {
        tx.requireTransaction();
        Map<MemberId, Credits> sums = new HashMap<>();
        holds.values().stream().filter(h -> h.orgId().equals(orgId) && h.isActiveAt(now) && h.memberId() != null)
                .forEach(h -> sums.merge(h.memberId(), h.reserved(), Credits::plus));
        return sums;
    }

    @Override
    public Map<ApiKeyId, Credits> heldByKey(OrgId orgId, Instant now) {
        tx.requireTransaction();
        Map<ApiKeyId, Credits> sums = new HashMap<>();
        holds.values().stream().filter(h -> h.orgId().equals(orgId) && h.isActiveAt(now) && h.apiKeyId() != null)
                .forEach(h -> sums.merge(h.apiKeyId(), h.reserved(), Credits::plus));
        return sums;
    }

    @Override
    public List<Hold> lockHoldsDue(OrgId orgId, Instant now) {
        tx.requireTransaction();
        return holds.values().stream().filter(h -> h.orgId().equals(orgId) && h.isDueToExpireAt(now))
                .sorted(Comparator.comparing(Hold::id, HOLD_ORDER)).toList();
    }

    @Override
    public List<OrgId> orgsWithHoldsDue(Instant now, int limit) {
        tx.requireTransaction();
        return holds.values().stream().filter(h -> h.isDueToExpireAt(now)).map(Hold::orgId).distinct()
                .sorted().limit(limit).toList();
    }

    private <K, V> void put(Map<K, V> map, K key, V value) {
        V previous = map.put(key, Objects.requireNonNull(value));
        tx.onRollback(() -> {
            if (previous == null) {
                map.remove(key);
            } else {
                map.put(key, previous);
            }
        });
    }

    private <K, V> void remove(Map<K, V> map, K key) {
        V previous = map.remove(key);
        if (previous != null) {
            tx.onRollback(() -> map.put(key, previous));
        }
    }

}
