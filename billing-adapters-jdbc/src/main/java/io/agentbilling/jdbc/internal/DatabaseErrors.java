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
        if (state == null && causedBy(e, SQLTransientConnectionException.class)
                && !causedBy(e, java.io.IOException.class)) {
            // HikariCP's wait for a connection ran out, and it names no connection failure as the cause (it does
            // when the database cannot be reached): every connection was busy. The database is fine; we are not.
            return overloaded(e, "no database connection was free in time");
        }
        if ("57014".equals(state) || "55P03".equals(state) || "40P01".equals(state) || "40001".equals(state)) {
            // A statement or lock timeout, or contention that outlived our retries: the database answers but is
            // too busy for this call now.
            return overloaded(e, "the database is busy");
        }
        if (causedBy(e, SQLTransientConnectionException.class) || state == null || state.startsWith("08")
                || state.startsWith("53") || state.startsWith("57")) {
            // No connection could be made or it was lost, the server is shutting down or out of resources: the
            // caller may retry.
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

    /** The refusal of a call the server had no capacity for while the database is reachable: retry shortly. */
    static BillingException overloaded(Throwable cause, String why) {
        return BillingException.of(BillingError.OVERLOADED, "the server is overloaded (" + why + "); retry shortly",
                cause);
    }

    /** The refusal of a call the database could not serve now: the caller may retry. */
    static BillingException unavailable(Throwable cause) {
        return BillingException.of(BillingError.UNAVAILABLE, "the database is unavailable; retry shortly", cause);
    }
}
