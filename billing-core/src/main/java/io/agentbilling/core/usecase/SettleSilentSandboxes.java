package io.agentbilling.core.usecase;

import io.agentbilling.core.ledger.Fingerprint;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.usage.MeterStatus;
import io.agentbilling.core.spend.Hold;
import io.agentbilling.core.spend.HoldId;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usage.SandboxMeterPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The sweeper the server runs periodically: marks meters silent past the heartbeat timeout as PENDING, and settles
 * meters silent past the timeout plus the grace period itself ({@link SandboxMeter#sweep}: charge up to the last
 * heartbeat, forgive the timeout window after it, close). One bounded batch per call, in one unit of work; all
 * meters are locked (in sandbox id order) before any account, the order every meter use case follows. Idempotency
 * keys derive from the sandbox id and its settled-through instant, so a rerun never charges twice. A sweep the
 * ledger refuses (the org or member is gone) still closes the meter, charging nothing, so it cannot clog the batch.
 * Thread-safe.
 */
public final class SettleSilentSandboxes {
    public static final int MAX_BATCH = 1_000;
    private static final String KEY_PREFIX = "sandbox-sweep:";

    private final Transactions transactions;
    private final PostingEngine engine;
    private final PriceBook prices;
    private final Clock clock;
    private final SandboxMeterPolicy policy;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param engine the posting engine
     * @param prices the prices in force
     * @param clock the clock that tells the time
     * @param policy the rules that apply
     */
    public SettleSilentSandboxes(Transactions transactions, PostingEngine engine, PriceBook prices, Clock clock,
                                 SandboxMeterPolicy policy) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * @param settled meters closed by this sweep (refused ones included)
     * @param refused of those, the ones the ledger refused to charge
     * @param more    a batch limit was reached; run again
     */
    public record Result(int markedPending, int settled, int refused, boolean more) {}

    /**
     * One sweep. Refuses nothing: a meter whose charge the ledger refuses is closed and counted in {@code refused}.
     *
     * @param limit at most this many meters of each kind (to settle, to mark pending), 1..{@value #MAX_BATCH}
     * @return what the sweep did
     */
    public Result execute(int limit) {
        if (limit < 1 || limit > MAX_BATCH) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_BATCH);
        }
        Instant now = clock.instant();
        Instant pendingBefore = now.minus(policy.heartbeatTimeout());
        Instant settleBefore = pendingBefore.minus(policy.gracePeriod());
        return transactions.inTransaction(stores -> {
            List<SandboxMeter> due = stores.meters()
                    .silentSince(EnumSet.of(MeterStatus.ACTIVE, MeterStatus.PENDING), settleBefore, limit);
            List<SandboxMeter> silent = stores.meters()
                    .silentSince(EnumSet.of(MeterStatus.ACTIVE), pendingBefore, limit);
            boolean more = due.size() == limit || silent.size() == limit;

            List<SandboxMeter> toSettle = new ArrayList<>();
            int marked = 0;
            for (SandboxMeter meter : lockInIdOrder(stores, due, silent)) {
                if (meter.lastHeartbeatAt().isBefore(settleBefore)) {
                    toSettle.add(meter);
                } else if (meter.status() == MeterStatus.ACTIVE && meter.lastHeartbeatAt().isBefore(pendingBefore)) {
                    stores.meters().update(meter.markPending());
                    marked++;
                }
            }
            int refused = settle(stores, toSettle, now);
            return new Result(marked, toSettle.size(), refused, more);
        });
    }

    /** Re-reads each candidate under lock: a heartbeat or settlement may have landed since the query. */
    private static List<SandboxMeter> lockInIdOrder(Stores stores, List<SandboxMeter> a, List<SandboxMeter> b) {
        TreeSet<String> ids = new TreeSet<>();
        a.forEach(m -> ids.add(m.sandboxId()));
        b.forEach(m -> ids.add(m.sandboxId()));
        List<SandboxMeter> locked = new ArrayList<>();
        for (String id : ids) {
            Optional<SandboxMeter> meter = stores.meters().findForUpdate(id);
            meter.filter(SandboxMeter::isOpen).ifPresent(locked::add);
        }
        return locked;
    }

    private int settle(Stores stores, List<SandboxMeter> meters, Instant now) {
        List<PostingEngine.Request> requests = new ArrayList<>();
        List<SandboxMeter.Sweep> sweeps = new ArrayList<>();
        for (SandboxMeter meter : meters) {
            SandboxMeter.Sweep sweep = meter.sweep(policy.heartbeatTimeout());
            sweeps.add(sweep);
            String key = KEY_PREFIX + meter.sandboxId() + ":" + meter.settledThrough();
            String fingerprint = Fingerprint.of("sandbox-sweep", meter.sandboxId(), meter.settledThrough(),
                    sweep.chargedSeconds(), sweep.forgivenSeconds());
            // A hold bound to the meter at its start closes with this, the sandbox's last settlement.
            HoldId holdId = stores.spend().findActiveHoldOfSandbox(meter.orgId(), meter.sandboxId()).map(Hold::id)
                    .orElse(null);
            requests.add(SettleSandboxRuntime.request(prices, meter, sweep.chargedSeconds(), sweep.forgivenSeconds(),
                    key, fingerprint, now).withSpend(SpendAttributions.of(holdId, null)));
        }
        List<PostingEngine.Result> results = requests.isEmpty() ? List.of() : engine.post(stores, requests);
        int refused = 0;
        for (int i = 0; i < meters.size(); i++) {
            if (results.get(i).isRejected()) {
                stores.meters().update(meters.get(i).settle(0, 0, true));
                refused++;
            } else {
                stores.meters().update(sweeps.get(i).after());
            }
        }
        return refused;
    }
}
