package io.agentbilling.http.json;

import java.time.Instant;

/**
 * The instants a request may name: those an RFC 3339 timestamp can write, years 0000 to 9999 in UTC. Java reads
 * far more ({@code +1000000000-01-01T00:00:00Z}), which the database cannot store and no caller means. Stateless.
 */
public final class Timestamps {
    public static final Instant MIN = Instant.parse("0000-01-01T00:00:00Z");
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private Timestamps() {
    }

    public static boolean inRange(Instant instant) {
        return !instant.isBefore(MIN) && !instant.isAfter(MAX);
    }
}
