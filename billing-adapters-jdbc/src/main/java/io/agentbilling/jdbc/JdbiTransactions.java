package io.agentbilling.jdbc;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * The unit of work on PostgreSQL: one Jdbi transaction per call, every store bound to its handle. Writes run at READ
 * COMMITTED (correctness comes from row locks taken in a fixed order and from unique constraints, not from the
 * isolation level); reads run at REPEATABLE READ so that a multi-statement read (an account and its entries) sees one
 * snapshot. A deadlock or serialization failure is retried a bounded number of times — the work has no side effects
 * outside the database, as the port requires. Database errors leave as {@link BillingException}s: unreachable or
 * overloaded → {@code UNAVAILABLE}, a constraint violation → {@code CONFLICT} / {@code BAD_REQUEST}. Thread-safe.
 */
public final class JdbiTransactions implements Transactions {
    private static final int MAX_ATTEMPTS = 3;

    private final Jdbi jdbi;

    public JdbiTransactions(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /** A Jdbi configured the way the stores expect, over a pooled data source. */
    public static Jdbi jdbi(DataSource dataSource) {
        return Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    @Override
    public <T> T inTransaction(Function<Stores, T> work) {
        return run(TransactionIsolationLevel.READ_COMMITTED, false, work);
    }

    @Override
    public <T> T read(Function<Stores, T> work) {
        return run(TransactionIsolationLevel.REPEATABLE_READ, true, work);
    }

    /**
     * On a pooled connection in auto-commit, without BEGIN, isolation or read-only settings: one statement sees one
     * committed state on its own. Errors are translated as for a transaction; nothing is retried (a single read
     * neither deadlocks nor fails serialization).
     */
    @Override
    public <T> T readOne(Function<Stores, T> work) {
        try {
            return jdbi.withHandle(handle -> work.apply(new JdbiStores(handle)));
        } catch (JdbiException e) {
            throw DatabaseErrors.translate(e);
        } catch (BillingException e) {
            throw e;
        } catch (RuntimeException e) {
            if (DatabaseErrors.causedBy(e, SQLException.class)) {
                throw DatabaseErrors.translate(e);
            }
            throw e;
        }
    }

    private <T> T run(TransactionIsolationLevel isolation, boolean readOnly, Function<Stores, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(isolation, handle -> {
                    if (readOnly) {
                        handle.execute("SET TRANSACTION READ ONLY");
                    }
                    return work.apply(new JdbiStores(handle));
                });
            } catch (JdbiException e) {
                String state = DatabaseErrors.sqlState(e);
                if (attempt < MAX_ATTEMPTS && ("40P01".equals(state) || "40001".equals(state))) {
                    continue;
                }
                throw DatabaseErrors.translate(e);
            } catch (BillingException e) {
                throw e;
            } catch (RuntimeException e) {
                if (DatabaseErrors.causedBy(e, SQLException.class)) {
                    throw DatabaseErrors.translate(e);
                }
                throw e;
            }
        }
    }

    static BillingException unavailable(Throwable cause) {
        return BillingException.of(BillingError.UNAVAILABLE, "the database is unavailable; retry shortly", cause);
    }
}
