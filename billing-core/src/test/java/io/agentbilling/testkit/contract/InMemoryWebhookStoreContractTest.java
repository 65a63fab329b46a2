package io.agentbilling.testkit.contract;

import io.agentbilling.core.port.Transactions;
import io.agentbilling.testkit.InMemoryTransactions;

class InMemoryWebhookStoreContractTest extends WebhookStoreContract {
    @Override
    protected Transactions newTransactions() {
        return new InMemoryTransactions();
    }
}
