package io.agentbilling.core.spend;

import java.util.Locale;

/**
 * Where a hold is in its life. Only an {@code ACTIVE} hold whose expiry has not passed reserves credit; every other
 * state is final.
 */
public enum HoldStatus {
    /** Reserving its amount (less what settlements captured so far) until it is captured, released or expires. */
    ACTIVE,
    /** A settlement charged the actual amount and released the rest. */
    CAPTURED,
    /** Released by its owner before any final settlement. */
    RELEASED,
    /** Its time ran out: released by itself. */
    EXPIRED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static HoldStatus fromWireName(String name) {
        for (HoldStatus status : values()) {
            if (status.wireName().equals(name)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown hold status: " + name);
    }
}
