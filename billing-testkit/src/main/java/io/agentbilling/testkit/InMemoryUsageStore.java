package io.agentbilling.testkit;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usage.DailyCost;
import io.agentbilling.core.port.UsageStore;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageRecord;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** In-memory {@link UsageStore}: daily rollup cells in a map. */
final class InMemoryUsageStore implements UsageStore {
    private final InMemoryTransactions tx;
    private final Map<Key, UsageAmounts> cells = new HashMap<>();

    private record Key(OrgId orgId, LocalDate day, UsageAmounts.Cell cell) {}

    InMemoryUsageStore(InMemoryTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void record(List<UsageRecord> records) {
        tx.requireTransaction();
        for (UsageRecord record : records) {
            Key key = new Key(record.orgId(), record.day(), record.amounts().cell());
            UsageAmounts previous = cells.get(key);
            cells.put(key, previous == null ? record.amounts() : previous.plus(record.amounts()));
            tx.onRollback(() -> {
                if (previous == null) {
                    cells.remove(key);
                } else {
                    cells.put(key, previous);
                }
            });
        }
    }

    @Override
    public List<UsageAmounts> totals(OrgId orgId, MemberId member, LocalDate from, LocalDate to) {
        tx.requireTransaction();
        Map<UsageAmounts.Cell, UsageAmounts> sums = new LinkedHashMap<>();
        cells.forEach((key, amounts) -> {
            if (key.orgId().equals(orgId) && !key.day().isBefore(from) && key.day().isBefore(to)
                    && (member == null || Objects.equals(member, amounts.memberId()))) {
                sums.merge(key.cell(), amounts, UsageAmounts::plus);
            }
        });
        return List.copyOf(sums.values());
    }

    @Override
    public List<DailyCost> dailyCosts(OrgId orgId, MemberId member, LocalDate from, LocalDate to) {
        tx.requireTransaction();
        java.util.TreeMap<LocalDate, Credits> byDay = new java.util.TreeMap<>();
        cells.forEach((key, amounts) -> {
            if (key.orgId().equals(orgId) && !key.day().isBefore(from) && key.day().isBefore(to)
                    && (member == null || Objects.equals(member, amounts.memberId()))) {
                byDay.merge(key.day(), amounts.cost(), Credits::plus);
            }
        });
        return byDay.entrySet().stream().map(e -> new DailyCost(e.getKey(), e.getValue())).toList();
    }
}
