package io.agentbilling.core.port;

/** The stores of one unit of work; every store it hands out joins the same transaction. */
public interface Stores {
    LedgerStore ledger();

    UsageStore usage();

    DirectoryStore directory();

    PaymentStore payments();

    SandboxMeterStore meters();
}
