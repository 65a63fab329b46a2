package io.agentbilling.core.ledger;

/**
 * The kinds of ledger entry (API.md A3). The sign of an entry's amount is part of its meaning:
 * <ul>
 *   <li>{@code grant}, {@code signup_grant}, {@code topup}, {@code auto_topup}: credit added (positive); counted in
 *       {@code totalGranted}.</li>
 *   <li>{@code usage}: credit spent (negative); counted in {@code totalUsed}.</li>
 *   <li>{@code reversal}: usage given back (positive); reduces {@code totalUsed}, which is "net of reversals".</li>
 *   <li>{@code refund}: positive = a refund of usage as credit (counted in {@code totalGranted}); negative = money
 *       returned to the customer's card, which removes purchased credit (counted in {@code refundedToCard}).</li>
 *   <li>{@code adjustment}: a signed manual correction; positive counts as granted, negative as used.</li>
 *   <li>{@code expiry}: the unconsumed remainder of a grant leaving at its expiry (negative).</li>
 * </ul>
 * A copy with another these rules {@code balance == totalGranted - totalUsed - expired - refundedToCard} holds exactly.
 */
public enum EntryType {
    GRANT("grant"),
    SIGNUP_GRANT("signup_grant"),
    TOPUP("topup"),
    AUTO_TOPUP("auto_topup"),
    USAGE("usage"),
    REFUND("refund"),
    ADJUSTMENT("adjustment"),
    EXPIRY("expiry"),
    REVERSAL("reversal");

    private final String wireName;

    EntryType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static EntryType fromWireName(String name) {
        for (EntryType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown entry type: " + name);
    }

    /**
     * Whether an entry of this type with this sign is allowed at all.
     *
     * @return true when it did
     */
    public boolean allowsSign(int signum) {
        return switch (this) {
            case GRANT, SIGNUP_GRANT, TOPUP, AUTO_TOPUP, REVERSAL -> signum > 0;
            case USAGE -> signum <= 0;
            case EXPIRY -> signum < 0;
            case REFUND, ADJUSTMENT -> signum != 0;
        };
    }

    /**
     * Credit that came from a grant lot (consumed before purchased credit, may expire).
     *
     * @return true when it did
     */
    public boolean opensGrant() {
        return this == GRANT || this == SIGNUP_GRANT;
    }
}
