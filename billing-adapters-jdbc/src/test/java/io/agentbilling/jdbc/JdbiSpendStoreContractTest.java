package io.agentbilling.jdbc;

import io.agentbilling.testkit.contract.SpendStoreContract;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.jdbc.testing.TestDatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbiSpendStoreContractTest extends SpendStoreContract {
    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    private static JdbiTransactions transactions;

    @Override
    protected Transactions newTransactions() {
        if (transactions == null) {
            transactions = new JdbiTransactions(JdbiTransactions.jdbi(DB.dataSource()));
        }
        return transactions;
    }
}
