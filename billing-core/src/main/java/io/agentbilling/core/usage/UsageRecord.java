package io.agentbilling.core.usage;

import io.agentbilling.core.access.OrgId;
import java.time.LocalDate;
import java.util.Objects;

/** One settled usage fact, attributed to an org and a UTC day, to be added to the usage rollups. */
public record UsageRecord(OrgId orgId, LocalDate day, UsageAmounts amounts) {
    /**
     * @param day the UTC day
     * @param orgId the organization
     */
    public UsageRecord {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(amounts, "amounts");
    }
}
