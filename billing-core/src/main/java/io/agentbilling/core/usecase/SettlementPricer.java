package io.agentbilling.core.usecase;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.settlement.internal.PostingEngine;
import io.agentbilling.core.port.PriceBook;
import io.agentbilling.core.usage.UsageWindow;
import java.time.Clock;
import java.util.Objects;

/**
 * Turns a settlement command into the posting request that settles it: validates the command (400 with the field;
 * 422 naming the field for a time of usage outside the {@link UsageWindow}), prices it with the catalog in force when the usage happened ({@code unknown_model}, {@code unprocessable}), and
 * attaches its usage rollup. Throws {@link BillingException} for a command it refuses; pure apart from reading the
 * clock. Thread-safe.
 */
public final class SettlementPricer {
    private final PriceBook prices;
    private final Clock clock;
    private final UsageWindow window;

    /**
     * Built by {@link io.agentbilling.core.Billing}, which wires every use case.
     *
     * @param prices the prices in force
     * @param clock the clock that tells the time
     */
    public SettlementPricer(PriceBook prices, Clock clock) {
        this(prices, clock, UsageWindow.DEFAULT);
    }

    /**
     * @param window when a caller may say its usage happened
     * @param prices the prices in force
     * @param clock the clock that tells the time
     */
    public SettlementPricer(PriceBook prices, Clock clock, UsageWindow window) {
        this.prices = Objects.requireNonNull(prices, "prices");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = Objects.requireNonNull(window, "window");
    }

    /**
     * @param command what to do
     */
    public PostingEngine.Request request(SettlementCommand command) {
        if (command == null) {
            throw BillingException.invalid("event", "is missing or malformed");
        }
        var now = clock.instant();
        if (command instanceof SettleModelUsage.Command c) {
            return SettleModelUsage.request(c, prices, now, window);
        } else if (command instanceof SettleToolExecution.Command c) {
            return SettleToolExecution.request(c, prices, now);
        } else if (command instanceof SettleStorageUsage.Command c) {
            return SettleStorageUsage.request(c, prices, now, window);
        } else if (command instanceof SettleResourceCharge.Command c) {
            return SettleResourceCharge.request(c, prices, now);
        } else if (command instanceof SettleDeduction.Command c) {
            return SettleDeduction.request(c, now);
        }
        throw new IllegalStateException("unhandled settlement command " + command.getClass());
    }
}
