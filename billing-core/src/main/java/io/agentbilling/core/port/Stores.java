package io.agentbilling.core.port;

/** The stores of one unit of work; every store it hands out joins the same transaction. */
public interface Stores {
    LedgerStore ledger();

    UsageStore usage();

    DirectoryStore directory();

    PaymentStore payments();

    SandboxMeterStore meters();

    /** Spend controls: settings, budgets, key caps, key spend and holds. */
    SpendStore spend();

    /** Outbound webhooks: endpoints, the event outbox, deliveries and their attempts. */
    WebhookStore webhooks();
}
