package io.agentbilling.http.routes.billing;

import io.agentbilling.core.usage.UsagePeriod;
import io.agentbilling.core.usecase.GetUsageReport;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.auth.AuthContext;
import io.agentbilling.http.json.billing.UsageReportView;
import io.agentbilling.http.routes.ParamType;
import io.agentbilling.http.routes.Params;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import java.util.Objects;

/**
 * API.md A4: the usage report, the caller's own row or (admins) every member's and the org's.
 * Thread-safe: holds only its (thread-safe) use cases.
 */
public final class UsageRoutes implements RouteGroup {
    private final GetUsageReport getUsageReport;

    public UsageRoutes(GetUsageReport getUsageReport) {
        this.getUsageReport = Objects.requireNonNull(getUsageReport, "getUsageReport");
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.get("/v1/billing/my-usage", Access.MEMBER)
                .summary("Usage report").tag("billing")
                .description("Usage in the period at the customer-facing resource level: Platform model tokens, "
                        + "sandbox runtime, storage, tool executions and other resource charges. With all=true "
                        + "(admins only) one row per member with usage and the organization's totals.")
                .query("period", ParamType.STRING, "current (default: this calendar month, UTC), 7d, 30d or all_time")
                .query("all", ParamType.BOOLEAN, "true: every member's row and the totals (org admins only; a "
                        + "member gets 403)")
                .query("orgId", ParamType.UUID, PlanAndCreditRoutes.ORG_ID_DOC)
                .returns(UsageReportView.class)
                .handle(ctx -> {
                    GetUsageReport.Command command = new GetUsageReport.Command(AuthContext.caller(ctx),
                            Params.org(ctx),
                            UsagePeriod.fromWireName(Params.string(ctx, "period").orElse(null)),
                            Params.bool(ctx, "all").orElse(false));
                    return Reply.ok(UsageReportView.of(getUsageReport.execute(command)));
                });
    }
}
