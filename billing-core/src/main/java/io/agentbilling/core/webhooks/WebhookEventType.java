package io.agentbilling.core.webhooks;

import java.util.Arrays;
import java.util.Optional;

/** The events an org's webhook endpoints may subscribe to; {@link #wireName()} is the event's {@code type}. */
public enum WebhookEventType {
    /** A debit took the balance from at or above the org's low-balance threshold to below it. */
    BALANCE_LOW("balance.low"),
    /** A debit took the balance from above zero to zero or below. */
    BALANCE_DEPLETED("balance.depleted"),
    /** A member's spend reached 80% or 100% of a budget limit (once per limit, period and percentage). */
    BUDGET_THRESHOLD("budget.threshold"),
    /** A card top-up landed on the ledger. */
    TOPUP_SUCCEEDED("topup.succeeded"),
    /** A card top-up's payment failed. */
    TOPUP_FAILED("topup.failed"),
    AUTO_TOPUP_SUCCEEDED("auto_topup.succeeded"),
    AUTO_TOPUP_FAILED("auto_topup.failed"),
    /** Auto top-up turned itself off after consecutive failed charges. */
    AUTO_TOPUP_DISABLED("auto_topup.disabled"),
    /** A hold's time ran out before it was captured or released. */
    HOLD_EXPIRED("hold.expired");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookEventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }
}
