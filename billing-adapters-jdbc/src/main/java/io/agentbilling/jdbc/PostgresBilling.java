package io.agentbilling.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.core.Billing;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.setup.Migrations;
import javax.sql.DataSource;

/**
 * The engine in-process on PostgreSQL, for JVM services that embed it without the HTTP server: give it your
 * {@link DataSource} (or a JDBC URL), get a {@link Billing.Builder} whose use cases run on that database. The schema is
 * migrated first (safe when several instances start at once). Add a payment gateway, a clock or a price book on the
 * builder as needed.
 *
 * <pre>{@code
 * try (Billing billing = PostgresBilling.builder(dataSource).build()) {
 *     billing.settleModelUsage().execute(...);
 * }
 * }</pre>
 */
public final class PostgresBilling {
    private PostgresBilling() {}

    /** On your pool (you keep ownership of it). */
    public static Billing.Builder builder(DataSource dataSource) {
        Migrations.migrate(dataSource);
        return Billing.builder(new JdbiTransactions(JdbiTransactions.jdbi(dataSource)));
    }

    /** On a pool this creates from a JDBC URL; closing the engine closes the pool. */
    public static Billing.Builder builder(String jdbcUrl, String user, String password) {
        HikariDataSource pool = DataSources.create(DatabaseConfig.of(jdbcUrl, user, password));
        try {
            return builder(pool).closeWith(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
