package io.agentbilling.jdbc.testing;

import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.testkit.postgres.TestDatabase;
import io.agentbilling.testkit.postgres.TestPostgres;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The test kit's PostgreSQL ({@link TestPostgres}: one server per test JVM, embedded or {@code
 * BILLING_TEST_DATABASE_URL}) as {@link DatabaseConfig}s, the form this project's pools take: small pools with leak
 * detection on, as the notes ask for dev and CI.
 *
 * <p>Thread-safe. Prefer {@link TestDatabaseExtension} in a test class; this class is the building block.
 */
public final class TestDatabases {

    public static final int TEST_POOL_SIZE = 4;
    public static final Duration TEST_LEAK_DETECTION_THRESHOLD = Duration.ofSeconds(10);

    private static final Pattern DATABASE_URL = Pattern.compile("jdbc:postgresql://[^/?]+/([^?]*)(\\?.*)?");

    private TestDatabases() {
    }

    /**
     * Creates a new, empty database whose name starts with {@code name} and returns a configuration for it with a
     * {@value #TEST_POOL_SIZE}-connection pool named {@code billing-test}.
     */
    public static DatabaseConfig freshDatabase(String name) {
        TestDatabase database = TestPostgres.freshDatabase(name);
        return new DatabaseConfig(database.jdbcUrl(), database.user(), database.password(), TEST_POOL_SIZE,
                DatabaseConfig.DEFAULT_CONNECTION_TIMEOUT, TEST_LEAK_DETECTION_THRESHOLD, "billing-test");
    }

    /** Drops a database made by {@link #freshDatabase}, disconnecting whoever still uses it. */
    public static void dropDatabase(DatabaseConfig database) {
        Matcher matcher = DATABASE_URL.matcher(database.jdbcUrl());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("unexpected JDBC URL " + database.jdbcUrl());
        }
        TestPostgres.dropDatabase(new TestDatabase(matcher.group(1), database.jdbcUrl(), database.user(),
                database.password()));
    }

    /** Whether the databases come from {@code BILLING_TEST_DATABASE_URL} rather than the embedded server. */
    public static boolean usesExternalServer() {
        return TestPostgres.usesExternalServer();
    }
}
