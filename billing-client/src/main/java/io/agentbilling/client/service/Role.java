package io.agentbilling.client.service;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A member's role in an organization. */
public enum Role {
    ADMIN, MEMBER;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
