package io.agentbilling.client.service;

import java.util.List;
import java.util.UUID;

/** The ledger verifier's report ({@code GET /v1/internal/ledger/verify}); {@code clean} when no drift was found. */
public record LedgerReport(int orgsChecked, long entriesChecked, boolean clean, List<Drift> drifts) {
    public record Drift(UUID orgId, String problem) {
    }
}
