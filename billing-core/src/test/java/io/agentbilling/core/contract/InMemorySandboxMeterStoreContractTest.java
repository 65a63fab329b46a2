package io.agentbilling.core.contract;

import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.testkit.InMemoryTransactions;

class InMemorySandboxMeterStoreContractTest extends SandboxMeterStoreContract {
    @Override
    protected Transactions newTransactions() {
        return new InMemoryTransactions();
    }
}
