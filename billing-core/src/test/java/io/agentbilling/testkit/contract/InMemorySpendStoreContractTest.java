package io.agentbilling.testkit.contract;

import io.agentbilling.core.port.Transactions;
import io.agentbilling.testkit.InMemoryTransactions;

class InMemorySpendStoreContractTest extends SpendStoreContract {
    @Override
    protected Transactions newTransactions() {
        return new InMemoryTransactions();
    }
}
