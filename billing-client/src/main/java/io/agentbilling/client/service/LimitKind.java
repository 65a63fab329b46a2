package io.agentbilling.client.service;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A spend limit the credit gate and hold admission check, in the order they are checked: the org's available credit,
 * the member's daily and monthly budget, the key's monthly and lifetime cap. The wire names are the API's
 * ({@code org_balance}, {@code member_daily}, …).
 */
public enum LimitKind {
    ORG_BALANCE("org_balance"),
    MEMBER_DAILY("member_daily"),
    MEMBER_MONTHLY("member_monthly"),
    KEY_MONTHLY("key_monthly"),
    KEY_LIFETIME("key_lifetime"),
    /**
     * A limit this version of the client does not know (a newer server's): answers that name one still parse, as
     * fields the server adds later never break the client.
     */
    UNRECOGNIZED("unrecognized");

    private final String wireName;

    LimitKind(String wireName) {
        this.wireName = wireName;
    }

    /** The API's name of the limit, e.g. {@code member_daily}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    /**
     * The limit of an API name; {@link #UNRECOGNIZED} for a name this client does not know, null for null.
     *
     * @param wireName the API's name
     */
    @JsonCreator
    public static LimitKind ofWireName(String wireName) {
        if (wireName == null) {
            return null;
        }
        for (LimitKind kind : values()) {
            if (kind != UNRECOGNIZED && kind.wireName.equals(wireName)) {
                return kind;
            }
        }
        return UNRECOGNIZED;
    }
}
