package io.agentbilling.testkit.contract;

import io.agentbilling.core.port.Transactions;
import io.agentbilling.testkit.InMemoryTransactions;

class InMemoryDirectoryStoreContractTest extends DirectoryStoreContract {
    private final InMemoryTransactions transactions = new InMemoryTransactions();

    @Override
    protected Transactions transactions() {
        return transactions;
    }
}
