package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.usage.SandboxMeter;
import io.agentbilling.core.usage.UsageWindow;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Records that a sandbox is alive. A pending meter becomes active again; a heartbeat older than the last one changes
 * nothing (heartbeats may arrive out of order); a finally settled meter is a {@code conflict}. Naturally idempotent,
 * so it takes no idempotency key. Thread-safe.
 */
public final class HeartbeatSandboxRuntime {
    private final Transactions transactions;
    private final Clock clock;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param transactions the unit of work
     * @param clock the clock that tells the time
     */
    public HeartbeatSandboxRuntime(Transactions transactions, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param at when the sandbox was seen alive; null = now; at most a few minutes ahead of the clock (422) */
    public record Command(String sandboxId, Instant at) {}

    /**
     * Records that the sandbox is alive at {@code at}.
     *
     * @param c the sandbox and the time
     * @return the meter after the heartbeat
     * @throws BillingException {@code BAD_REQUEST} naming the field at fault; {@code NOT_FOUND} when no sandbox of
     *                          that id was started; {@code CONFLICT} when it is already settled for good; {@code
     *                          UNPROCESSABLE} naming {@code at} when it is ahead of the clock
     */
    public SandboxMeter execute(Command c) {
        Checks.name("sandboxId", c.sandboxId(), Checks.MAX_NAME_LENGTH);
        Instant now = clock.instant();
        Instant at = c.at() == null ? now
                : Commands.requireStorableInstant("at", UsageWindow.notInFuture("at", c.at(), now));
        return transactions.inTransaction(stores -> {
            SandboxMeter meter = stores.meters().findForUpdate(c.sandboxId())
                    .orElseThrow(() -> BillingException.notFound("sandbox meter"));
            if (!meter.isOpen()) {
                throw BillingException.of(BillingError.CONFLICT, "sandbox " + c.sandboxId() + " is already settled");
            }
            SandboxMeter alive = meter.heartbeat(at);
            if (!alive.equals(meter)) {
                stores.meters().update(alive);
            }
            return alive;
        });
    }
}
