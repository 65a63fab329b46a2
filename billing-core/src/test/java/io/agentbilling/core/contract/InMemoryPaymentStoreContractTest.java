package io.agentbilling.core.contract;

import io.agentbilling.core.port.Transactions;
import io.agentbilling.core.testkit.InMemoryTransactions;

class InMemoryPaymentStoreContractTest extends PaymentStoreContract {
    @Override
    protected Transactions newTransactions() {
        return new InMemoryTransactions();
    }
}
