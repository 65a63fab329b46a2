package io.agentbilling.core.port;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usage.DailyCost;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsageRecord;
import java.time.LocalDate;
import java.util.List;

/**
 * Usage rollups: settled usage summed per (org, UTC day, member, kind, key, byok, unit), maintained in the same
 * transaction as the settlement, so that reports read aggregates and never scan raw events.
 */
public interface UsageStore {

    /**
     * Adds each record to its day's rollup cell (upsert).
     */
    void record(List<UsageRecord> records);

    /**
     * The usage of an org over the UTC days {@code [from, to)}, summed per cell; only {@code member}'s cells when
     * it is not null.
     *
     * @param orgId the organization
     * @param from the start (inclusive)
     * @param to the end (exclusive)
     */
    List<UsageAmounts> totals(OrgId orgId, MemberId member, LocalDate from, LocalDate to);

    /**
     * The cost charged per UTC day over {@code [from, to)}, oldest first, only days with usage; only {@code member}'s
     * cells when it is not null.
     *
     * @param orgId the organization
     * @param from the start (inclusive)
     * @param to the end (exclusive)
     */
    List<DailyCost> dailyCosts(OrgId orgId, MemberId member, LocalDate from, LocalDate to);
}
