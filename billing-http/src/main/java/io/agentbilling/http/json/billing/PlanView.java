package io.agentbilling.http.json.billing;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.LedgerTotals;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.usecase.GetPlanSummary;
import java.time.Instant;

/** {@code GET /v1/billing/plan} (API.md A1). */
@JsonClassDescription("The organization's plan and credit summary")
public record PlanView(
        OrgId orgId,
        @JsonPropertyDescription("Plan code: free, pro, team, enterprise") String plan,
        String planName,
        @JsonPropertyDescription("Balance in cents, rounded toward negative infinity") long balanceCents,
        @JsonPropertyDescription("The exact balance, in millionths of a cent") long balanceMicros,
        @JsonPropertyDescription("All credit ever added, in cents (see GET /v1/billing/credits)") long totalGrantedCents,
        @JsonPropertyDescription("All usage ever charged net of reversals, in cents (see GET /v1/billing/credits)")
        long totalUsedCents,
        @JsonPropertyDescription("The current calendar month, UTC; to is exclusive") Period currentPeriod,
        @JsonPropertyDescription("The plan's sign-up credit, in cents") long includedCreditsCents,
        @JsonPropertyDescription("Workspace storage the plan allows, in bytes") long storageQuotaBytes,
        AutoTopupSummary autoTopup) {

    /** A half-open range {@code [from, to)}. */
    public record Period(Instant from, Instant to) {}

    public record AutoTopupSummary(boolean enabled, long thresholdCents, long topupAmountCents,
                                   boolean hasSavedPaymentMethod) {}

    public static PlanView of(GetPlanSummary.Result summary) {
        LedgerTotals.InCents cents = summary.account().totals().inCents();
        AutoTopupSettings settings = summary.autoTopup().settings();
        return new PlanView(summary.org().id(), summary.plan().code(), summary.plan().displayName(),
                cents.balanceCents(), summary.account().balance().micros(), cents.grantedCents(), cents.usedCents(),
                new Period(summary.currentPeriod().from(), summary.currentPeriod().to()),
                summary.plan().signupGrant().toCentsHalfEven(), summary.plan().storageQuotaBytes(),
                new AutoTopupSummary(settings.enabled(), settings.thresholdCents(), settings.topupAmountCents(),
                        summary.autoTopup().hasSavedPaymentMethod()));
    }
}
