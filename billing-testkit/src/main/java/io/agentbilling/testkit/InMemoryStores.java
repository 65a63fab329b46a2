package io.agentbilling.testkit;

import io.agentbilling.core.port.DirectoryStore;
import io.agentbilling.core.port.LedgerStore;
import io.agentbilling.core.port.PaymentStore;
import io.agentbilling.core.port.SandboxMeterStore;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.UsageStore;

/** Every in-memory store, sharing one {@link InMemoryTransactions}. */
public final class InMemoryStores implements Stores {
    private final InMemoryLedgerStore ledger;
    private final InMemoryUsageStore usage;
    private final InMemoryDirectoryStore directory;
    private final InMemoryPaymentStore payments;
    private final InMemorySandboxMeterStore meters;

    InMemoryStores(InMemoryTransactions tx) {
        this.ledger = new InMemoryLedgerStore(tx);
        this.usage = new InMemoryUsageStore(tx);
        this.directory = new InMemoryDirectoryStore(tx);
        this.payments = new InMemoryPaymentStore(tx);
        this.meters = new InMemorySandboxMeterStore(tx);
    }

    @Override
    public LedgerStore ledger() {
        return ledger;
    }

    @Override
    public UsageStore usage() {
        return usage;
    }

    @Override
    public DirectoryStore directory() {
        return directory;
    }

    @Override
    public PaymentStore payments() {
        return payments;
    }

    @Override
    public SandboxMeterStore meters() {
        return meters;
    }
}
