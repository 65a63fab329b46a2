package io.agentbilling.http.server;

import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.embedded.postgres.EmbeddedDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded PostgreSQL running under a running server. The server owns that database (nothing else would
 * restart it), so if its process dies (killed, out of memory, crashed) the supervisor starts it again on the same data
 * directory and the same port, where the connection pool finds it by itself: PostgreSQL recovers from its write-ahead
 * log as after any crash, requests are answered 503 {@code unavailable} meanwhile (clients retry with their keys),
 * and the server settles again once it is back. If it cannot be brought back ({@value #MAX_FAILED_RESTARTS} restarts
 * in a row fail), the supervisor logs why and exits the process with status {@value #EXIT_STATUS}, so that a process
 * supervisor (systemd, a container runtime) restarts the whole server rather than leave it answering 503 forever.
 *
 * <p>Checks every {@code interval} on a daemon thread; {@link #close()} stops watching first, then stops the database.
 * Thread-safe.
 */
final class EmbeddedDatabaseSupervisor implements AutoCloseable {
    static final int MAX_FAILED_RESTARTS = 5;
    /** EX_SOFTWARE-like: the server could not keep its own database running. */
    static final int EXIT_STATUS = 70;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabaseSupervisor.class);

    private final Path dataDirectory;
    private final int port;
    private final Duration interval;
    private final IntConsumer exit;
    private final Thread watcher;
    private EmbeddedDatabase current;
    private boolean closed;
    private int restarts;

    /**
     * @param database the running embedded database to keep running
     * @param exit     called with {@value #EXIT_STATUS} when the database cannot be restarted ({@code System::exit})
     */
    EmbeddedDatabaseSupervisor(EmbeddedDatabase database, Duration interval, IntConsumer exit) {
        this.current = Objects.requireNonNull(database, "database");
        this.dataDirectory = database.dataDirectory();
        this.port = database.port();
        this.interval = Objects.requireNonNull(interval, "interval");
        this.exit = Objects.requireNonNull(exit, "exit");
        this.watcher = new Thread(this::watch, "embedded-postgres-supervisor");
        this.watcher.setDaemon(true);
        this.watcher.start();
    }

    /** The pool's settings: they stay valid across restarts (same port, same database). */
    DatabaseConfig databaseConfig() {
        EmbeddedDatabase database = current();
        return DatabaseConfig.of(database.jdbcUrl(), database.user(), database.password());
    }

    synchronized EmbeddedDatabase current() {
        return current;
    }

    /** How often the database has been restarted since the server started (for tests and the log). */
    synchronized int restarts() {
        return restarts;
    }

    private void watch() {
        int failures = 0;
        while (true) {
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (current.isRunning()) {
                    failures = 0;
                    continue;
                }
                LOG.error("Embedded PostgreSQL on {} (pid {}) is no longer running; restarting it", dataDirectory,
                        current.postmasterPid());
                try {
                    current.stop(); // releases the directory; the dead server needs no shutdown
                } catch (RuntimeException e) {
                    LOG.warn("Cleaning up after the dead embedded PostgreSQL failed", e);
                }
                try {
                    current = EmbeddedDatabase.start(dataDirectory, port);
                    restarts++;
                    failures = 0;
                    LOG.warn("Embedded PostgreSQL restarted on {} (pid {}); restart {} since the server started",
                            dataDirectory, current.postmasterPid(), restarts);
                    continue;
                } catch (RuntimeException e) {
                    failures++;
                    LOG.error("Restarting embedded PostgreSQL on {} failed ({} of {})", dataDirectory, failures,
                            MAX_FAILED_RESTARTS, e);
                }
                if (failures >= MAX_FAILED_RESTARTS) {
                    LOG.error("Embedded PostgreSQL on {} cannot be restarted; exiting with status {} so that the "
                            + "server is restarted as a whole", dataDirectory, EXIT_STATUS);
                    closed = true;
                }
            }
            if (closed) {
                // Outside the lock: exiting runs the shutdown hooks, which close this supervisor.
                exit.accept(EXIT_STATUS);
                return;
            }
        }
    }

    /** Stops watching, then stops the database (after the pool that used it has closed). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        watcher.interrupt();
        current().stop();
    }

    @Override
    public String toString() {
        return "EmbeddedDatabaseSupervisor[" + dataDirectory + ", port " + port + "]";
    }
}
