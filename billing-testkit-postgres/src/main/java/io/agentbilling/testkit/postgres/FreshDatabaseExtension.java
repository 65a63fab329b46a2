package io.agentbilling.testkit.postgres;

import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, empty PostgreSQL database for one test class, dropped after it (see {@link TestPostgres} for where the
 * server comes from). Register it on a <em>static</em> field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FreshDatabaseExtension DATABASE = new FreshDatabaseExtension();
 *
 * @Test
 * void settles_on_postgresql() {
 *     try (Billing billing = PostgresBilling.configure().dataSource(DATABASE.dataSource()).start()) { ... }
 * }
 * }</pre>
 *
 * <p>Not thread-safe while the class starts and ends; its accessors may be used from any thread in between.
 */
public final class FreshDatabaseExtension implements BeforeAllCallback, AfterAllCallback {

    private volatile TestDatabase database;

    @Override
    public void beforeAll(ExtensionContext context) {
        database = TestPostgres.freshDatabase(context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestDatabase current = database;
        database = null;
        if (current != null) {
            TestPostgres.dropDatabase(current);
        }
    }

    /**
     * The class's database.
     */
    public TestDatabase database() {
        TestDatabase current = database;
        if (current == null) {
            throw new IllegalStateException(
                    "FreshDatabaseExtension is not started: register it with @RegisterExtension on a static field");
        }
        return current;
    }

    public String jdbcUrl() {
        return database().jdbcUrl();
    }

    public String user() {
        return database().user();
    }

    public String password() {
        return database().password();
    }

    /**
     * See {@link TestDatabase#dataSource()}.
     */
    public DataSource dataSource() {
        return database().dataSource();
    }
}
