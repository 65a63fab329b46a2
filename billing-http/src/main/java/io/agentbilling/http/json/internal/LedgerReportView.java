package io.agentbilling.http.json.internal;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.usecase.VerifyLedger;
import java.util.List;

/** The ledger verifier's report. */
public record LedgerReportView(
        int orgsChecked,
        long entriesChecked,
        @JsonPropertyDescription("True when no drift was found") boolean clean,
        List<Drift> drifts) {

    /** One inconsistency. */
    public record Drift(OrgId orgId, String problem) {
    }

    public static LedgerReportView of(VerifyLedger.Report report) {
        return new LedgerReportView(report.orgsChecked(), report.entriesChecked(), report.clean(),
                report.drifts().stream().map(d -> new Drift(d.orgId(), d.problem())).toList());
    }
}
