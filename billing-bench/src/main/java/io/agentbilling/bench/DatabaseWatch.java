package io.agentbilling.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;

/**
 * Whether the database itself is fine while the server is being overloaded: a thread of its own times
 * {@code SELECT 1} on a connection of its own (not the server's pool) every 100 ms, and counts failures. "Fine" is
 * every probe answered, none slower than {@value #FINE_MILLIS} ms. Thread-safe; close it to stop.
 */
final class DatabaseWatch implements AutoCloseable {
    static final long FINE_MILLIS = 500;

    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long probes;
    private volatile long failures;
    private volatile double maxMillis;
    private volatile String lastFailure;

    DatabaseWatch(String jdbcUrl) {
        sampler = new Thread(() -> sample(jdbcUrl), "database-watch");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample(String jdbcUrl) {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("ApplicationName", "bench-check"); // left out of the wait profile
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", "10");
        Connection connection = null;
        try {
            while (running) {
                long start = System.nanoTime();
                try {
                    if (connection == null) {
                        connection = DriverManager.getConnection(jdbcUrl, properties);
                    }
                    try (Statement sql = connection.createStatement()) {
                        sql.execute("SELECT 1");
                    }
                    maxMillis = Math.max(maxMillis, (System.nanoTime() - start) / 1e6);
                } catch (SQLException e) {
                    failures++;
                    lastFailure = e.getMessage();
                    close(connection);
                    connection = null;
                }
                probes++;
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            // stop
        } finally {
            close(connection);
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    boolean databaseFine() {
        return probes > 0 && failures == 0 && maxMillis <= FINE_MILLIS;
    }

    String summary() {
        return String.format(Locale.ROOT, "the database meanwhile (`SELECT 1` every 100 ms on a connection of its own):"
                        + " %d probes, %d failed, slowest %.1f ms — %s", probes, failures, maxMillis,
                databaseFine() ? "the database was fine" : "the database was NOT fine"
                        + (lastFailure == null ? "" : " (last failure: " + lastFailure + ")"));
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
