package io.agentbilling.jdbc;

import io.agentbilling.core.error.BillingException;
import io.agentbilling.core.port.Stores;
import io.agentbilling.core.port.Transactions;
import io.agentbilling.jdbc.internal.DatabaseErrors;
import io.agentbilling.jdbc.internal.JdbiStores;
import java.sql.SQLException;
import java.time.Duration;
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
 * overloaded → {@code UNAVAILABLE}, a unique violation → {@code CONFLICT}, any other refusal → {@code INTERNAL}
 * (the core refuses every value the schema cannot hold before it gets here).
 *
 * <p>With {@link Timeouts}, every transaction starts with {@code SET LOCAL lock_timeout} and
 * {@code statement_timeout}, so a row lock held elsewhere or a database gone slow fails the unit of work
 * ({@code UNAVAILABLE}, retryable) instead of holding a pooled connection and its thread indefinitely. They are
 * transaction-local, so the pool's connections, migrations and other users of the data source are unaffected.
 * Thread-safe.
 */
public final class JdbiTransactions implements Transactions {
    private static final int MAX_ATTEMPTS = 3;

    /**
     * Limits set at the start of every transaction; {@link Duration#ZERO} leaves PostgreSQL's own setting (by default
     * no limit).
     *
     * @param lockTimeout      how long one statement may wait for a row lock ({@code lock_timeout})
     * @param statementTimeout how long one statement may run ({@code statement_timeout})
     */
    public record Timeouts(Duration lockTimeout, Duration statementTimeout) {
        public static final Timeouts NONE = new Timeouts(Duration.ZERO, Duration.ZERO);

        public Timeouts {
            Objects.requireNonNull(lockTimeout, "lockTimeout");
            Objects.requireNonNull(statementTimeout, "statementTimeout");
            if (lockTimeout.isNegative() || statementTimeout.isNegative()) {
                throw new IllegalArgumentException("timeouts must not be negative");
            }
        }

        /** The statements to run first in a transaction, or null when there is nothing to set. */
        String setLocalSql() {
            StringBuilder sql = new StringBuilder();
            if (!lockTimeout.isZero()) {
                sql.append("SET LOCAL lock_timeout = ").append(Math.max(1, lockTimeout.toMillis())).append(';');
            }
            if (!statementTimeout.isZero()) {
                sql.append("SET LOCAL statement_timeout = ").append(Math.max(1, statementTimeout.toMillis()))
                        .append(';');
            }
            return sql.length() == 0 ? null : sql.toString();
        }
    }

    private final Jdbi jdbi;
    private final String setLocalSql;
    private final boolean setsSearchPath;

    /**
     * @param jdbi the Jdbi instance
     */
    public JdbiTransactions(Jdbi jdbi) {
        this(jdbi, Timeouts.NONE);
    }

    /**
     * @param jdbi the Jdbi instance
     * @param timeouts the lock and statement timeouts
     */
    public JdbiTransactions(Jdbi jdbi, Timeouts timeouts) {
        this(jdbi, timeouts, null);
    }

    /**
     * @param searchPathSchema the schema of the billing tables, set as {@code search_path} at the start of every
     *                         transaction ({@code SET LOCAL}, so the pool's connections are left as they were), for a
     *                         data source whose connections do not have it first already; {@code null} uses the
     *                         connections' own search path. Setting it makes single-statement reads ({@link #readOne})
     *                         run in a transaction too, one round trip more.
     * @param jdbi the Jdbi instance
     * @param timeouts the lock and statement timeouts
     */
    public JdbiTransactions(Jdbi jdbi, Timeouts timeouts, String searchPathSchema) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        String timeoutSql = Objects.requireNonNull(timeouts, "timeouts").setLocalSql();
        this.setsSearchPath = searchPathSchema != null;
        String searchPathSql = searchPathSchema == null ? "" : "SET LOCAL search_path TO " + quoted(searchPathSchema) + ";";
        String combined = searchPathSql + (timeoutSql == null ? "" : timeoutSql);
        this.setLocalSql = combined.isEmpty() ? null : combined;
    }

    private static String quoted(String schema) {
        if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain lower-case schema name: " + schema);
        }
        return '"' + schema + '"';
    }

    /**
     * A Jdbi configured the way the stores expect, over a pooled data source.
     */
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
     * neither deadlocks nor fails serialization). With a search path to set, a short read-only transaction instead.
     */
    @Override
    public <T> T readOne(Function<Stores, T> work) {
        if (setsSearchPath) {
            return run(TransactionIsolationLevel.READ_COMMITTED, true, work);
        }
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
                    // One round trip; SET TRANSACTION must come before the transaction's first query, SET LOCAL
                    // takes no snapshot, so the order is safe.
                    String setup = (readOnly ? "SET TRANSACTION READ ONLY;" : "")
                            + (setLocalSql == null ? "" : setLocalSql);
                    if (!setup.isEmpty()) {
                        handle.execute(setup);
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
}
