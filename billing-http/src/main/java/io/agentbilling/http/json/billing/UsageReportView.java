package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.GetUsageReport;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /v1/billing/my-usage} (API.md A4): the caller's row ({@code usage}), or with {@code all=true} one row
 * per member with usage ({@code members}) and the org's row ({@code totals}); the other side is left out.
 */
@JsonClassDescription("Usage report. usage is present when all=false; members and totals when all=true")
public record UsageReportView(
        OrgId orgId,
        @JsonPropertyDescription("current, 7d, 30d or all_time") String period,
        @JsonPropertyDescription("Start of the period (midnight UTC)") Instant from,
        @JsonPropertyDescription("End of the period, exclusive (midnight UTC)") Instant to,
        @JsonInclude(JsonInclude.Include.NON_NULL) UsageRowView usage,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<UsageRowView> members,
        @JsonInclude(JsonInclude.Include.NON_NULL) UsageRowView totals,
        @JsonPropertyDescription("Cost charged per UTC day of the period, oldest first, days without usage left out: "
                + "the caller's own, or with all=true the organization's") List<DailyCost> daily) {

    /** One day's cost; a single amount, so half-even cents. */
    public record DailyCost(@JsonPropertyDescription("The UTC day, YYYY-MM-DD") String day, long costCents) {}

    public static UsageReportView of(GetUsageReport.Result report) {
        return new UsageReportView(report.orgId(), report.period().wireName(), report.from(), report.to(),
                report.usage() == null ? null : UsageRowView.of(report.usage()),
                report.members() == null ? null : report.members().stream().map(UsageRowView::of).toList(),
                report.totals() == null ? null : UsageRowView.of(report.totals()),
                report.daily().stream().map(d -> new DailyCost(d.day().toString(), d.cost().toCentsHalfEven()))
                        .toList());
    }
}
