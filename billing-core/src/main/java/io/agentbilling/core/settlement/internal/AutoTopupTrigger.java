package io.agentbilling.core.settlement.internal;

import io.agentbilling.core.payment.AutoTopupAttemptId;
import io.agentbilling.core.payment.AutoTopupSettings;
import io.agentbilling.core.payment.PaymentProfile;
import io.agentbilling.core.payment.AutoTopupAttempt;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.ledger.AccountBook;
import io.agentbilling.core.settlement.internal.BalanceWatcher;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.port.IdGenerator;
import io.agentbilling.core.port.Stores;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import io.agentbilling.core.payment.AutoTopupPolicy;
import io.agentbilling.core.spend.UtcPeriods;
import java.util.function.Consumer;

/**
 * Starts an auto top-up when a posting takes an org's balance from at or above its threshold to below it: inside
 * the posting transaction, with the account locked, it inserts a PENDING attempt unless one is already in flight.
 * Because the decision is made under the account lock and the store's insert refuses a second in-flight attempt, a
 * burst of concurrent debits starts exactly one. The charge itself happens later, outside any transaction
 * ({@code RunAutoTopups}). Thread-safe.
 */
public final class AutoTopupTrigger implements BalanceWatcher {
    private final IdGenerator ids;
    private final Consumer<AutoTopupAttempt> onAttemptCreated;
    private final long maxAmountCents;

    /**
     * Creates a auto topup trigger.
     *
     * @param ids the source of ids and secrets
     */
    public AutoTopupTrigger(IdGenerator ids) {
        this(ids, attempt -> { });
    }

    public AutoTopupTrigger(IdGenerator ids, Consumer<AutoTopupAttempt> onAttemptCreated) {
        this(ids, onAttemptCreated, AutoTopupPolicy.defaults().maxAmountCents());
    }

    /**
     * @param onAttemptCreated told of each new attempt, inside the still-open posting transaction: it may schedule
     *                         the worker (which finds the attempt once the transaction commits) but must not run it
     * @param ids the source of ids and secrets
     */
    /** @param maxAmountCents the largest amount a target-balance top-up may charge (the policy's maximum) */
    public AutoTopupTrigger(IdGenerator ids, Consumer<AutoTopupAttempt> onAttemptCreated, long maxAmountCents) {
        this.ids = Objects.requireNonNull(ids, "ids");
        this.onAttemptCreated = Objects.requireNonNull(onAttemptCreated, "onAttemptCreated");
        this.maxAmountCents = maxAmountCents;
    }

    @Override
    public void afterPosting(Stores stores, AccountBook.Applied applied, Instant now) {
        afterPostings(stores, List.of(applied), now);
    }

    /** One settings read for every debited org of the batch, not one per org: this runs after every batch. */
    @Override
    public void afterPostings(Stores stores, List<AccountBook.Applied> applied, Instant now) {
        // Only a debit can cross downwards; skipping the settings read keeps credits and no-ops cheap.
        List<AccountBook.Applied> debited = applied.stream()
                .filter(a -> a.entries().stream().anyMatch(e -> e.amount().isNegative()))
                .toList();
        if (debited.isEmpty()) {
            return;
        }
        Map<OrgId, AutoTopupSettings> settings = stores.payments()
                .autoTopupSettings(debited.stream().map(a -> a.after().orgId()).toList());
        for (AccountBook.Applied result : debited) {
            AutoTopupSettings orgSettings = settings.get(result.after().orgId());
            if (orgSettings != null && orgSettings.enabled()
                    && result.crossedBelow(Credits.ofCents(orgSettings.thresholdCents()))) {
                start(stores, result, orgSettings, now);
            }
        }
    }

    private void start(Stores stores, AccountBook.Applied result, AutoTopupSettings settings, Instant now) {
        OrgId orgId = result.after().orgId();
        boolean hasCard = stores.payments().profile(orgId).map(PaymentProfile::hasSavedPaymentMethod).orElse(false);
        if (!hasCard) {
            return;
        }
        // The amount rule (a fixed amount or up to a target, within the monthly cap) is the settings' own.
        long chargedThisMonth = settings.monthlyCapCents() == null ? 0
                : stores.payments().autoTopupCentsSince(orgId, UtcPeriods.monthStart(now)
                        .atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
        OptionalLong amount = settings.amountToCharge(result.after().balance(), chargedThisMonth, maxAmountCents);
        if (amount.isEmpty()) {
            return;
        }
        AutoTopupAttempt attempt = AutoTopupAttempt.pending(new AutoTopupAttemptId(ids.newId()), orgId,
                amount.getAsLong(), now);
        if (stores.payments().insertAttemptIfNoneInFlight(attempt)) {
            onAttemptCreated.accept(attempt);
        }
    }
}
