package io.agentbilling.jdbc.internal;

import io.agentbilling.core.error.BillingError;
import io.agentbilling.core.error.BillingException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Turns database failures into core errors, so that no raw SQL exception reaches a use case's caller. */
public final class DatabaseErrors {
    private DatabaseErrors() {}

    public static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    public static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    public static BillingException translate(RuntimeException e) {
        String state = sqlState(e);
        if (causedBy(e, SQLTransientConnectionException.class) || state == null || state.startsWith("08")
                || state.startsWith("53") || state.startsWith("57") || "40P01".equals(state) || "40001".equals(state)
                || "55P03".equals(state)) {
            // Pool timeout (Hikari's SQLTransientConnectionException has no state), lost connection, server shutting
            // down or out of resources, a statement or lock timeout (57014, 55P03), or contention that outlived our
            // retries: the caller may retry.
            return unavailable(e);
        }
        if (state.equals("23505")) {
            return BillingException.of(BillingError.CONFLICT, "the record already exists", e);
        }
        // Any other refusal (a value out of range, too long, an invalid timestamp, a failed CHECK or foreign key)
        // means the core let through something the schema cannot hold: the core refuses every such value first, with
        // a 4xx naming the field, so reaching this is a bug. It is answered 500 (and logged with its cause), never as
        // the caller's fault: a client that reads 4xx as "my request was malformed" would drop billable usage.
        return BillingException.of(BillingError.INTERNAL, "the database refused a write the engine let through", e);
    }

    /** The refusal of a call the database could not serve now: the caller may retry. */
    static BillingException unavailable(Throwable cause) {
        return BillingException.of(BillingError.UNAVAILABLE, "the database is unavailable; retry shortly", cause);
    }
}
