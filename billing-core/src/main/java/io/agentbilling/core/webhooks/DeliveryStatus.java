package io.agentbilling.core.webhooks;

import java.util.Locale;

/** Where one delivery of an event to an endpoint stands. */
public enum DeliveryStatus {
    /** Waiting for its next attempt. */
    PENDING,
    /** The endpoint answered 2xx. */
    SUCCEEDED,
    /** Every attempt within the retry window failed; a manual retry sends it again. */
    FAILED,
    /** The endpoint was deleted before the event got through. */
    CANCELED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
