package com.example.rules;

import io.agentbilling.testkit.contract.LedgerStoreContract;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.testkit.InMemoryTransactions;

/**
 * How a third party proves its own adapter: extend the port's contract and hand it the adapter. Here the kit's own
 * in-memory one; yours would return its {@code Transactions}.
 */
class InMemoryLedgerPassesTheLedgerContractTest extends LedgerStoreContract {
    @Override
    protected Transactions transactions() {
        return new InMemoryTransactions();
    }
}
