package io.agentbilling.core.spend;

import java.util.Locale;

/**
 * The limits an admission checks, in the order it reports them: the org's wallet first, then the member's budget,
 * then the key's cap. {@link #wireName()} is the API's {@code limitedBy} value.
 */
public enum LimitKind {
    /** The org's balance less its active holds. */
    ORG_BALANCE,
    MEMBER_DAILY,
    MEMBER_MONTHLY,
    KEY_MONTHLY,
    KEY_LIFETIME;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
