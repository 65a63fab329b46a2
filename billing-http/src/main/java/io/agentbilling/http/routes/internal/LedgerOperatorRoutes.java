package io.agentbilling.http.routes.internal;

import io.agentbilling.core.usecase.VerifyLedger;
import io.agentbilling.http.auth.Access;
import io.agentbilling.http.json.internal.LedgerReportView;
import io.agentbilling.http.routes.Reply;
import io.agentbilling.http.routes.RouteGroup;
import io.agentbilling.http.routes.RouteRegistry;
import java.util.Objects;

/** {@code GET /v1/internal/ledger/verify}: the operator's check that every org's ledger adds up. */
public final class LedgerOperatorRoutes implements RouteGroup {
    private final VerifyLedger verifyLedger;

    public LedgerOperatorRoutes(VerifyLedger verifyLedger) {
        this.verifyLedger = Objects.requireNonNull(verifyLedger, "verifyLedger");
    }

    @Override
    public void addTo(RouteRegistry routes) {
        routes.get("/v1/internal/ledger/verify", Access.INTERNAL)
                .summary("Recompute every org's balance from its entries and report drift").tag("internal: operations")
                .description("Reads every entry of every org (in pages): as slow as the ledger is long. Meant for "
                        + "operators and monitoring, not for request paths.")
                .returns(LedgerReportView.class)
                .handle(ctx -> Reply.ok(LedgerReportView.of(verifyLedger.execute())));
    }
}
