package io.agentbilling.testkit.postgres;

import io.agentbilling.embedded.postgres.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL for tests: one server per test JVM, and a fresh database on it whenever a test asks.
 *
 * <p>The server is an {@link EmbeddedDatabase} (PostgreSQL 17) in a temporary directory, started on first use and
 * stopped (and its directory deleted) by a JVM shutdown hook. When the environment variable {@value #URL_VARIABLE} is
 * set (a JDBC URL such as {@code jdbc:postgresql://db.ci:5432/postgres}, whose role may create databases), that
 * server is used instead, with {@value #USER_VARIABLE} (default {@code postgres}) and {@value #PASSWORD_VARIABLE}
 * (default empty); the databases created there are dropped when the JVM exits.
 *
 * <p>Thread-safe. In a test class prefer {@link FreshDatabaseExtension}; this class is its building block.
 */
public final class TestPostgres {

    public static final String URL_VARIABLE = "BILLING_TEST_DATABASE_URL";
    public static final String USER_VARIABLE = "BILLING_TEST_DATABASE_USER";
    public static final String PASSWORD_VARIABLE = "BILLING_TEST_DATABASE_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(TestPostgres.class);
    private static final Pattern SERVER_URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");
    private static final int MAX_NAME_PREFIX_LENGTH = 40;

    private static Server server; // guarded by TestPostgres.class

    private TestPostgres() {
    }

    /**
     * Creates a new, empty database whose name starts with {@code t_} and {@code name} (lower-cased, characters other
     * than letters, digits and underscores replaced), unique across JVMs.
     */
    public static TestDatabase freshDatabase(String name) {
        Server current = server();
        String database = uniqueDatabaseName(name);
        current.execute("CREATE DATABASE " + database);
        current.remember(database);
        return new TestDatabase(database, current.urlFor(database), current.user(), current.password());
    }

    /**
     * Drops a database made by {@link #freshDatabase}, disconnecting whoever still uses it.
     */
    public static void dropDatabase(TestDatabase database) {
        Server current = server();
        current.execute("DROP DATABASE IF EXISTS " + database.name() + " WITH (FORCE)");
        current.forget(database.name());
    }

    /**
     * Whether the databases come from {@value #URL_VARIABLE} rather than the embedded server.
     *
     * @return true when it did
     */
    public static boolean usesExternalServer() {
        return server().embedded() == null;
    }

    static String uniqueDatabaseName(String name) {
        String cleaned = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (cleaned.length() > MAX_NAME_PREFIX_LENGTH) {
            cleaned = cleaned.substring(0, MAX_NAME_PREFIX_LENGTH);
        }
        // Unique across JVMs too: CI jobs may share one external server.
        return "t_" + cleaned + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static synchronized Server server() {
        if (server == null) {
            String url = System.getenv(URL_VARIABLE);
            server = url == null || url.isBlank() ? startEmbedded() : external(url);
            Runtime.getRuntime().addShutdownHook(new Thread(TestPostgres::shutDown, "test-postgres-shutdown"));
        }
        return server;
    }

    private static Server startEmbedded() {
        long startNanos = System.nanoTime();
        try {
            Path root = Files.createTempDirectory("billing-test-postgres-");
            EmbeddedDatabase embedded = EmbeddedDatabase.start(root.resolve("data"), 0);
            LOG.info("Test PostgreSQL started in {} ms on port {}", (System.nanoTime() - startNanos) / 1_000_000,
                    embedded.port());
            return new Server(embedded.jdbcUrl("postgres"), embedded.user(), embedded.password(), embedded, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Server external(String url) {
        if (!SERVER_URL.matcher(url).matches()) {
            throw new IllegalStateException(URL_VARIABLE + " must look like jdbc:postgresql://host:port/database");
        }
        String user = System.getenv().getOrDefault(USER_VARIABLE, "postgres");
        String password = System.getenv().getOrDefault(PASSWORD_VARIABLE, "");
        LOG.info("Test databases on the server of {}", URL_VARIABLE);
        return new Server(url, user, password, null, null);
    }

    private static synchronized void shutDown() {
        if (server == null) {
            return;
        }
        if (server.embedded() != null) {
            try {
                server.embedded().stop();
            } finally {
                deleteRecursively(server.root());
            }
        } else {
            for (String database : Set.copyOf(server.created())) {
                try {
                    server.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                } catch (RuntimeException e) {
                    LOG.warn("Could not drop test database {}", database, e);
                }
            }
        }
    }

    private static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warn("Could not delete {}", root, e);
        }
    }

    /** The server, reached through its administration database. */
    private record Server(String adminUrl, String user, String password, EmbeddedDatabase embedded, Path root,
                          Set<String> created) {

        Server(String adminUrl, String user, String password, EmbeddedDatabase embedded, Path root) {
            this(adminUrl, user, password, embedded, root, ConcurrentHashMap.newKeySet());
        }

        String urlFor(String database) {
            Matcher matcher = SERVER_URL.matcher(adminUrl);
            if (!matcher.matches()) {
                throw new IllegalStateException("unexpected JDBC URL " + adminUrl);
            }
            String parameters = matcher.group(3) == null ? "" : matcher.group(3);
            return matcher.group(1) + database + parameters;
        }

        void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(adminUrl, user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("Test database setup failed: " + sql, e);
            }
        }

        void remember(String database) {
            created.add(database);
        }

        void forget(String database) {
            created.remove(database);
        }
    }
}
