package io.agentbilling.jdbc.internal;

import io.agentbilling.core.port.DirectoryStore;
import io.agentbilling.core.port.LedgerStore;
import io.agentbilling.core.port.PaymentStore;
import io.agentbilling.core.port.SandboxMeterStore;
import io.agentbilling.core.port.SpendStore;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.UsageStore;
import io.agentbilling.core.port.WebhookStore;
import org.jdbi.v3.core.Handle;

/** The stores of one transaction, all on the same Jdbi handle. Not thread-safe (neither is a handle). */
public final class JdbiStores implements Stores {
    private final Handle handle;
    private LedgerStore ledger;
    private UsageStore usage;
    private DirectoryStore directory;
    private PaymentStore payments;
    private SandboxMeterStore meters;
    private SpendStore spend;
    private WebhookStore webhooks;

    public JdbiStores(Handle handle) {
        this.handle = handle;
    }

    @Override
    public LedgerStore ledger() {
        if (ledger == null) {
            ledger = new JdbiLedgerStore(handle);
        }
        return ledger;
    }

    @Override
    public UsageStore usage() {
        if (usage == null) {
            usage = new JdbiUsageStore(handle);
        }
        return usage;
    }

    @Override
    public DirectoryStore directory() {
        if (directory == null) {
            directory = new JdbiDirectoryStore(handle);
        }
        return directory;
    }

    @Override
    public PaymentStore payments() {
        if (payments == null) {
            payments = new JdbiPaymentStore(handle);
        }
        return payments;
    }

    @Override
    public SandboxMeterStore meters() {
        if (meters == null) {
            meters = new JdbiSandboxMeterStore(handle);
        }
        return meters;
    }

    @Override
    public SpendStore spend() {
        if (spend == null) {
            spend = new JdbiSpendStore(handle);
        }
        return spend;
    }

    @Override
    public WebhookStore webhooks() {
        if (webhooks == null) {
            webhooks = new JdbiWebhookStore(handle);
        }
        return webhooks;
    }
}
