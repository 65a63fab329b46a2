package io.agentbilling.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Small helpers to read columns and to bind lists as PostgreSQL arrays (for multi-row statements via unnest). */
public final class Rows {
    /** Stands for "no member" / "no org" in key columns, which cannot be null. */
    static final UUID NIL = new UUID(0, 0);

    private Rows() {}

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    static String[] texts(List<Instant> instants) {
        return instants.stream().map(Rows::text).toArray(String[]::new);
    }
}
