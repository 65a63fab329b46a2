package io.agentbilling.core.payment;

import java.util.Locale;
import java.util.Optional;

/** How much an auto top-up buys. */
public enum AutoTopupMode {
    /** The configured amount, every time. */
    FIXED,
    /** Enough to bring the balance back to the configured target (at least the minimum top-up). */
    TARGET_BALANCE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AutoTopupMode> fromWireName(String name) {
        for (AutoTopupMode mode : values()) {
            if (mode.wireName().equals(name)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
