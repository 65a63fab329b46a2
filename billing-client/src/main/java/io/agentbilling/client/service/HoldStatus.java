package io.agentbilling.client.service;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Where a {@link Hold} stands. Only an active hold reserves credit. */
public enum HoldStatus {
    /** Reserving its amount until it is captured, released or expires. */
    ACTIVE("active"),
    /** A settlement naming it charged the actual amount; the rest was released. */
    CAPTURED("captured"),
    /** Released by the caller before any capture. */
    RELEASED("released"),
    /** Past its {@code expiresAt} without a capture. */
    EXPIRED("expired"),
    /** A status this version of the client does not know (a newer server's). */
    UNRECOGNIZED("unrecognized");

    private final String wireName;

    HoldStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The API's name of the status, e.g. {@code captured}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * The status of an API name; {@link #UNRECOGNIZED} for a name this client does not know, null for null.
     *
     * @param wireName the API's name
     */
    @JsonCreator
    public static HoldStatus ofWireName(String wireName) {
        if (wireName == null) {
            return null;
        }
        for (HoldStatus status : values()) {
            if (status != UNRECOGNIZED && status.wireName.equals(wireName)) {
                return status;
            }
        }
        return UNRECOGNIZED;
    }
}
