package io.agentbilling.core.usecase;

import io.agentbilling.core.access.ApiKey;
import io.agentbilling.core.access.ApiKeyId;
import io.agentbilling.core.access.Caller;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.SpendStore;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.spend.Admission;
import io.agentbilling.core.spend.ApiKeyCap;
import io.agentbilling.core.spend.ApiKeyCapStatus;
import io.agentbilling.core.spend.SpendSettings;
import io.agentbilling.core.spend.UtcPeriods;
import io.agentbilling.core.spendcontrol.SpendReader;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The org's API-key caps and the spend through each capped key ({@code GET /v1/billing/api-key-caps}); admins only.
 * Read in one snapshot. Thread-safe.
 */
public final class GetApiKeyCaps {
    private final Transactions transactions;
    private final Clock clock;

    public GetApiKeyCaps(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @return every key of the org that has a cap, in key id order
     * @throws BillingException {@code FORBIDDEN} for a member who is not an admin, or another org than the caller's
     */
    public List<ApiKeyCapStatus> execute(Caller caller, OrgId requestedOrg) {
        caller.requireAdmin();
        OrgId orgId = caller.resolveOrg(requestedOrg);
        Instant now = clock.instant();
        return transactions.read(stores -> {
            List<ApiKeyCapStatus> rows = new ArrayList<>();
            Context context = Context.read(stores, orgId, now);
            for (ApiKeyCap cap : stores.spend().caps(orgId)) {
                stores.directory().findApiKey(orgId, cap.keyId())
                        .ifPresent(key -> rows.add(context.row(key, cap)));
            }
            return rows;
        });
    }

    /**
     * One key's row (with or without a cap), for trusted callers.
     *
     * @throws BillingException {@code NOT_FOUND} for a key that is not the org's
     */
    public ApiKeyCapStatus forKey(OrgId orgId, ApiKeyId keyId) {
        Instant now = clock.instant();
        return transactions.read(stores -> {
            ApiKey key = stores.directory().findApiKey(orgId, keyId)
                    .orElseThrow(() -> BillingException.notFound("API key"));
            return Context.read(stores, orgId, now).row(key, stores.spend().cap(orgId, keyId).orElse(null));
        });
    }

    private record Context(SpendSettings settings, LocalDate monthStart, Map<ApiKeyId, SpendStore.KeySpendTotals> spend,
                           Map<ApiKeyId, Credits> held) {
        static Context read(Stores stores, OrgId orgId, Instant now) {
            LocalDate monthStart = UtcPeriods.monthStart(now);
            return new Context(SpendReader.settings(stores, orgId), monthStart,
                    stores.spend().keySpendByKey(orgId, monthStart), stores.spend().heldByKey(orgId, now));
        }

        ApiKeyCapStatus row(ApiKey key, ApiKeyCap cap) {
            SpendStore.KeySpendTotals totals = spend.getOrDefault(key.id(), SpendStore.KeySpendTotals.NONE);
            boolean byok = settings.countByokTowardBudgets();
            Credits month = byok ? Admission.saturatingPlus(totals.chargedThisMonth(), totals.byokThisMonth())
                    : totals.chargedThisMonth();
            Credits lifetime = byok ? Admission.saturatingPlus(totals.chargedLifetime(), totals.byokLifetime())
                    : totals.chargedLifetime();
            return ApiKeyCapStatus.of(key, cap, monthStart, month, lifetime, held.getOrDefault(key.id(), Credits.ZERO));
        }
    }
}
