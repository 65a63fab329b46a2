package io.agentbilling.core.usecase;

import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.Org;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.usage.DailyCost;
import io.agentbilling.core.usage.DayRange;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usage.SandboxMeterPolicy;
import io.agentbilling.core.usage.UsageAmounts;
import io.agentbilling.core.usage.UsagePeriod;
import io.agentbilling.core.usage.UsageReport;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * The usage report (API.md A4): the caller's own row, or (admins, {@code all}) one row per member with usage plus
 * the org's totals. Reads the daily rollups for the period and the open sandbox meters (whose pending and active time
 * are current estimates, whatever the period). Thread-safe.
 */
public final class GetUsageReport {
    private final Transactions transactions;
    private final PriceBook prices;
    private final Clock clock;
    private final SandboxMeterPolicy policy;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param prices the prices in force
     * @param clock the clock that tells the time
     * @param policy the rules that apply
     */
    public GetUsageReport(Transactions transactions, PriceBook prices, Clock clock, SandboxMeterPolicy policy) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * @param orgId  the org asked for; null = the caller's (another org is {@code forbidden})
     * @param period null = {@link UsagePeriod#CURRENT}
     * @param all    every member's row and the org's totals; admins only ({@code forbidden} otherwise)
     */
    public record Command(Caller caller, OrgId orgId, UsagePeriod period, boolean all) {}

    /**
     * Either {@code usage} (the caller's row; {@code all} false) or {@code members} and {@code totals}
     * ({@code all} true); the other side is null. {@code daily}: the cost charged per day of the period (the caller's
     * own, or the org's with {@code all}), days without usage left out.
     */
    public record Result(OrgId orgId, UsagePeriod period, DayRange range, UsageReport.Row usage,
                         List<UsageReport.Row> members, UsageReport.Row totals, List<DailyCost> daily) {
        public Instant from() {
            return range.from();
        }

        public Instant to() {
            return range.to();
        }
    }

    /**
     * The report a member asks for: their own row, or with {@code all} (admins) every member's and the totals.
     *
     * @param c who asks and what
     * @return the report
     * @throws BillingException {@code FORBIDDEN} for another org, or {@code all} asked by a member who is not an
     *                          admin; {@code NOT_FOUND} when the org does not exist; {@code BAD_REQUEST} naming
     *                          {@code caller} when it is missing
     */
    public Result execute(Command c) {
        Caller caller = Checks.required("caller", c.caller());
        OrgId orgId = caller.resolveOrg(c.orgId());
        if (c.all()) {
            caller.requireAdmin();
        }
        return report(orgId, c.all() ? null : caller.memberId(), c.period());
    }

    /**
     * The org's report: every member's row and the org's totals, as an admin sees it with {@code all}; for a caller
     * that is not a member of the org (a service, an operator, a test).
     *
     * @param orgId  the org
     * @param period null = {@link UsagePeriod#CURRENT}
     * @return the report, with {@code members} and {@code totals}
     * @throws BillingException {@code NOT_FOUND} when the org does not exist
     */
    public Result forOrg(OrgId orgId, UsagePeriod period) {
        return report(Objects.requireNonNull(orgId, "orgId"), null, period);
    }

    /**
     * One member's report, as the member sees it; for a caller that is not that member.
     *
     * @param orgId    the org
     * @param memberId a member of the org
     * @param period   null = {@link UsagePeriod#CURRENT}
     * @return the report, with {@code usage}
     * @throws BillingException {@code NOT_FOUND} when the org does not exist or the member is not one of its members
     */
    public Result forMember(OrgId orgId, MemberId memberId, UsagePeriod period) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(memberId, "memberId");
        if (transactions.read(stores -> stores.directory().findMember(orgId, memberId)).isEmpty()) {
            throw BillingException.notFound("member");
        }
        return report(orgId, memberId, period);
    }

    /** Every member's rows and the totals when {@code member} is null; that member's row otherwise. */
    private Result report(OrgId orgId, MemberId member, UsagePeriod requested) {
        UsagePeriod period = requested == null ? UsagePeriod.CURRENT : requested;
        Instant now = clock.instant();
        return transactions.read(stores -> {
            Org org = stores.directory().findOrg(orgId).orElseThrow(() -> BillingException.notFound("organization"));
            DayRange range = period.range(now, LocalDate.ofInstant(org.createdAt(), ZoneOffset.UTC));
            List<UsageAmounts> amounts = stores.usage().totals(orgId, member, range.fromDay(), range.toDay());
            List<UsageReport.MeterEstimate> meters = stores.meters().openMeters(orgId, member).stream()
                    .map(m -> estimate(m, now))
                    .toList();
            List<DailyCost> daily = stores.usage().dailyCosts(orgId, member, range.fromDay(), range.toDay());
            if (member == null) {
                return new Result(orgId, period, range, null, UsageReport.memberRows(amounts, meters),
                        UsageReport.totals(amounts, meters), daily);
            }
            return new Result(orgId, period, range, UsageReport.row(member, amounts, meters), null, null, daily);
        });
    }

    private UsageReport.MeterEstimate estimate(SandboxMeter meter, Instant now) {
        return UsageReport.MeterEstimate.of(meter,
                prices.inForceAt(meter.startedAt()).sandboxPricePerSecond(meter.size()), now,
                policy.heartbeatTimeout());
    }
}
