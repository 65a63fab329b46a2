package io.agentbilling.core.usage;

import io.agentbilling.core.money.Credits;
import java.time.LocalDate;
import java.util.Objects;

/** What was charged for usage on one UTC day (summed over the rollup cells of that day). */
public record DailyCost(LocalDate day, Credits cost) {
    /**
     * @param day the UTC day
     */
    public DailyCost {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(cost, "cost");
    }
}
