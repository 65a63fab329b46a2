package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.Admission;
import io.agentbilling.core.spend.MemberBudget;
import io.agentbilling.core.spend.MemberBudgetStatus;
import io.agentbilling.core.spend.SpendSettings;
import io.agentbilling.core.spend.UtcPeriods;
import io.agentbilling.core.spendcontrol.SpendReader;
import io.agentbilling.core.usage.UsageAmounts;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Members' budgets and where each stands ({@code GET /v1/billing/budgets}): an admin sees every member of the org,
 * with or without a budget; a member sees their own row. Spend comes from the same usage rollups as
 * {@code my-usage} (plus BYOK calls at list price when the org counts them), held from active holds; all read in one
 * snapshot. Thread-safe.
 */
public final class GetBudgets {
    private final Transactions transactions;
    private final Clock clock;

    public GetBudgets(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param caller       the member asking
     * @param requestedOrg the org; null = the caller's
     * @return every member's row for an admin, in member order; the caller's own row for a member
     * @throws BillingException {@code FORBIDDEN} for another org than the caller's
     */
    public List<MemberBudgetStatus> execute(Caller caller, OrgId requestedOrg) {
        OrgId orgId = caller.resolveOrg(requestedOrg);
        if (!caller.isAdmin()) {
            return List.of(forMember(orgId, caller.memberId()));
        }
        Instant now = clock.instant();
        return transactions.read(stores -> {
            List<Member> members = stores.directory().members(orgId);
            return rows(stores, orgId, members, now);
        });
    }

    /**
     * One member's row, for trusted callers.
     *
     * @throws BillingException {@code NOT_FOUND} for a member who is not one of the org's
     */
    public MemberBudgetStatus forMember(OrgId orgId, MemberId memberId) {
        Instant now = clock.instant();
        return transactions.read(stores -> {
            Member member = stores.directory().findMember(orgId, memberId)
                    .orElseThrow(() -> BillingException.notFound("member"));
            return rows(stores, orgId, List.of(member), now).get(0);
        });
    }

    private static List<MemberBudgetStatus> rows(Stores stores, OrgId orgId, List<Member> members, Instant now) {
        SpendSettings settings = SpendReader.settings(stores, orgId);
        LocalDate today = UtcPeriods.day(now);
        LocalDate monthStart = UtcPeriods.monthStart(today);
        LocalDate tomorrow = today.plusDays(1);
        Map<MemberId, Credits> month = byMember(stores.usage().totals(orgId, null, monthStart, tomorrow));
        Map<MemberId, Credits> day = byMember(stores.usage().totals(orgId, null, today, tomorrow));
        if (settings.countByokTowardBudgets()) {
            stores.spend().memberByokSpendByMember(orgId, monthStart, tomorrow)
                    .forEach((m, c) -> month.merge(m, c, Admission::saturatingPlus));
            stores.spend().memberByokSpendByMember(orgId, today, tomorrow)
                    .forEach((m, c) -> day.merge(m, c, Admission::saturatingPlus));
        }
        Map<MemberId, Credits> held = stores.spend().heldByMember(orgId, now);
        Map<MemberId, MemberBudget> budgets = new HashMap<>();
        stores.spend().budgets(orgId).forEach(b -> budgets.put(b.memberId(), b));
        List<MemberBudgetStatus> rows = new ArrayList<>();
        for (Member member : members) {
            MemberId id = member.id();
            rows.add(MemberBudgetStatus.of(id, member.email(), budgets.get(id), today,
                    day.getOrDefault(id, Credits.ZERO), month.getOrDefault(id, Credits.ZERO),
                    held.getOrDefault(id, Credits.ZERO)));
        }
        return rows;
    }

    private static Map<MemberId, Credits> byMember(List<UsageAmounts> cells) {
        Map<MemberId, Credits> sums = new HashMap<>();
        for (UsageAmounts cell : cells) {
            if (cell.memberId() != null) {
                sums.merge(cell.memberId(), cell.cost(), Admission::saturatingPlus);
            }
        }
        return sums;
    }
}
