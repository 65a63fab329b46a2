package io.agentbilling.core.spendcontrol;

import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.SpendStore;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.spend.Admission;
import io.agentbilling.core.spend.SpendSettings;
import io.agentbilling.core.spend.SpendSnapshot;
import io.agentbilling.core.spend.UtcPeriods;
import io.agentbilling.core.usage.DailyCost;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Reads what an admission decides on, in the caller's unit of work: the org's active holds, a member's spend this
 * UTC month and day (what the usage rollups charged — the figures of {@code my-usage} — plus BYOK calls at list price
 * when the org counts them) and a key's spend. Consistent when the caller runs it in one snapshot (a read-only
 * transaction) or under the org's account lock (which every writer of that spend holds). Stateless.
 */
public final class SpendReader {
    private SpendReader() {}

    /**
     * @param balance the org's balance as the caller read it (committed, or locked)
     * @param member  null when the work names no member
     * @param key     null when the work names no key
     */
    public static SpendSnapshot snapshot(Stores stores, OrgId orgId, Credits balance, MemberId member, ApiKeyId key,
                                         Instant now) {
        SpendStore spend = stores.spend();
        SpendStore.HeldAmounts held = spend.held(orgId, member, key, now);
        if (member == null && key == null) {
            return new SpendSnapshot(balance, held.byOrg(), null, null);
        }
        SpendSettings settings = settings(stores, orgId);
        SpendSnapshot.MemberSpend memberSpend = member == null ? null
                : memberSpend(stores, settings, member, now, held.byMember());
        SpendSnapshot.KeySpend keySpend = key == null ? null : keySpend(stores, settings, key, now, held.byKey());
        return new SpendSnapshot(balance, held.byOrg(), memberSpend, keySpend);
    }

    public static SpendSettings settings(Stores stores, OrgId orgId) {
        return stores.spend().settings(orgId).orElseGet(() -> SpendSettings.defaults(orgId));
    }

    /** A member's spend this UTC day and month, with their budget (null when none) and {@code held}. */
    public static SpendSnapshot.MemberSpend memberSpend(Stores stores, SpendSettings settings, MemberId member,
                                                        Instant now, Credits held) {
        OrgId orgId = settings.orgId();
        Spent spent = memberSpent(stores, settings, member, now);
        return new SpendSnapshot.MemberSpend(member, stores.spend().budget(orgId, member).orElse(null), spent.today(),
                spent.thisMonth(), held);
    }

    /** A key's spend this UTC month and over its life, with its cap (null when none) and {@code held}. */
    public static SpendSnapshot.KeySpend keySpend(Stores stores, SpendSettings settings, ApiKeyId key, Instant now,
                                                  Credits held) {
        OrgId orgId = settings.orgId();
        SpendStore.KeySpendTotals totals = stores.spend().keySpend(orgId, key, UtcPeriods.monthStart(now));
        boolean byok = settings.countByokTowardBudgets();
        Credits month = byok ? Admission.saturatingPlus(totals.chargedThisMonth(), totals.byokThisMonth())
                : totals.chargedThisMonth();
        Credits lifetime = byok ? Admission.saturatingPlus(totals.chargedLifetime(), totals.byokLifetime())
                : totals.chargedLifetime();
        return new SpendSnapshot.KeySpend(key, stores.spend().cap(orgId, key).orElse(null), month, lifetime, held);
    }

    /** What a member spent today and this month (UTC). */
    public record Spent(Credits today, Credits thisMonth) {}

    public static Spent memberSpent(Stores stores, SpendSettings settings, MemberId member, Instant now) {
        OrgId orgId = settings.orgId();
        LocalDate today = UtcPeriods.day(now);
        LocalDate monthStart = UtcPeriods.monthStart(today);
        LocalDate tomorrow = today.plusDays(1);
        List<DailyCost> days = stores.usage().dailyCosts(orgId, member, monthStart, tomorrow);
        Credits month = Credits.ZERO;
        Credits day = Credits.ZERO;
        for (DailyCost cost : days) {
            month = Admission.saturatingPlus(month, cost.cost());
            if (cost.day().equals(today)) {
                day = Admission.saturatingPlus(day, cost.cost());
            }
        }
        if (settings.countByokTowardBudgets()) {
            month = Admission.saturatingPlus(month, stores.spend().memberByokSpend(orgId, member, monthStart, tomorrow));
            day = Admission.saturatingPlus(day, stores.spend().memberByokSpend(orgId, member, today, tomorrow));
        }
        return new Spent(day, month);
    }
}
