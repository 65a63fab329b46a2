package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.pricing.Plan;
import java.time.Clock;
import java.util.Objects;

/**
 * The storage gate (API.md Part B {@code storage/quota}): may a workspace write {@code requestedBytes} more when the
 * org holds {@code currentBytes}? Allowed iff the sum stays within the org's plan quota (computed without
 * overflow). Thread-safe.
 */
public final class CheckStorageQuota {
    /** The {@code reason} of a refusal. */
    public static final String QUOTA_EXCEEDED = "storage_quota_exceeded";

    private final Transactions transactions;
    private final PriceBook prices;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param prices the prices in force
     * @param clock the clock that tells the time
     */
    public CheckStorageQuota(Transactions transactions, PriceBook prices, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param currentBytes what the org's workspaces hold now, as the storage service measures it */
    public record Command(OrgId orgId, String workspaceId, long currentBytes, long requestedBytes) {}

    /**
     * @param remainingBytes quota left before the request ({@code quota - current}, never negative)
     * @param reason         {@value #QUOTA_EXCEEDED} when refused, else null
     */
    public record Result(boolean allowed, long quotaBytes, long remainingBytes, String reason) {}

    /**
     * Whether the workspace may grow by {@code requestedBytes} within the org plan's storage quota.
     *
     * @param c the workspace and the sizes
     * @return the answer and the quota left
     * @throws BillingException {@code BAD_REQUEST} naming the field at fault; {@code NOT_FOUND} when the org does not
     *                          exist; {@code INTERNAL} when the org's plan is missing from the catalog
     */
    public Result execute(Command c) {
        Checks.required("orgId", c.orgId());
        Checks.name("workspaceId", c.workspaceId(), Checks.MAX_NAME_LENGTH);
        Checks.nonNegative("currentBytes", c.currentBytes());
        Checks.nonNegative("requestedBytes", c.requestedBytes());
        Org org = transactions.read(stores -> stores.directory().findOrg(c.orgId()))
                .orElseThrow(() -> BillingException.notFound("organization"));
        Plan plan = prices.inForceAt(clock.instant()).plan(org.plan())
                .orElseThrow(() -> BillingException.of(BillingError.INTERNAL,
                        "plan " + org.plan() + " is not in the price catalog"));
        long quota = plan.storageQuotaBytes();
        long remaining = Math.max(0, quota - c.currentBytes()); // both non-negative: cannot overflow
        boolean allowed = c.currentBytes() <= quota && c.requestedBytes() <= remaining;
        return new Result(allowed, quota, remaining, allowed ? null : QUOTA_EXCEEDED);
    }
}
