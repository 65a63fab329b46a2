package io.agentbilling.jdbc;

import io.agentbilling.testkit.contract.LedgerStoreContract;
import io.agentbilling.core.port.Transactions;
import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.testing.TestDatabaseExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbiLedgerStoreContractTest extends LedgerStoreContract {
    @RegisterExtension
    static final TestDatabaseExtension DB = TestDatabaseExtension.migrated();

    private static JdbiTransactions transactions;
    private static HikariDataSource pool;

    @Override
    protected Transactions transactions() {
        if (transactions == null) {
            // Its own pool with a patient connection timeout: the concurrency tests run 16 writers on 8 connections,
            // and what they check is lost updates, not how long a busy machine makes a thread wait for a connection.
            pool = DataSources.create(DB.config().withPoolSize(8).withConnectionTimeout(Duration.ofSeconds(30)));
            transactions = new JdbiTransactions(JdbiTransactions.jdbi(pool));
        }
        return transactions;
    }

    @AfterAll
    static void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    protected int writerThreads() {
        return 16;
    }
}
