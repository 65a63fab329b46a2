package io.agentbilling.testkit;

import io.agentbilling.core.port.DirectoryStore;
import io.agentbilling.core.port.LedgerStore;
import io.agentbilling.core.port.PaymentStore;
import io.agentbilling.core.port.SandboxMeterStore;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.SpendStore;
import io.agentbilling.core.port.UsageStore;
import io.agentbilling.core.port.WebhookStore;

/** Every in-memory store, sharing one {@link InMemoryTransactions}. */
public final class InMemoryStores implements Stores {
    private final InMemoryLedgerStore ledger;
    private final InMemoryUsageStore usage;
    private final InMemoryDirectoryStore directory;
    private final InMemoryPaymentStore payments;
    private final InMemorySandboxMeterStore meters;
    private final InMemorySpendStore spend;
    private final InMemoryWebhookStore webhooks;

    InMemoryStores(InMemoryTransactions tx) {
        this.ledger = new InMemoryLedgerStore(tx);
        this.usage = new InMemoryUsageStore(tx);
        this.directory = new InMemoryDirectoryStore(tx);
        this.payments = new InMemoryPaymentStore(tx);
        this.meters = new InMemorySandboxMeterStore(tx);
        this.spend = new InMemorySpendStore(tx);
        this.webhooks = new InMemoryWebhookStore(tx);
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

    @Override
    public SpendStore spend() {
        return spend;
    }

    @Override
    public WebhookStore webhooks() {
        return webhooks;
    }
}
