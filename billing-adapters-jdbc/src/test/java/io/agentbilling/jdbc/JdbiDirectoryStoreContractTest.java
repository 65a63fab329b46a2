package io.agentbilling.jdbc;

import io.agentbilling.testkit.contract.DirectoryStoreContract;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.jdbc.testing.TestDatabaseExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbiDirectoryStoreContractTest extends DirectoryStoreContract {
    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    private static JdbiTransactions transactions;

    @Override
    protected Transactions transactions() {
        if (transactions == null) {
            transactions = new JdbiTransactions(JdbiTransactions.jdbi(DB.dataSource()));
        }
        return transactions;
    }
}
