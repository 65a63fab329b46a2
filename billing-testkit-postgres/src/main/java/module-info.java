/**
 * For tests that need PostgreSQL: a fresh database per test class
 * ({@link io.agentbilling.testkit.postgres.FreshDatabaseExtension}), on an embedded PostgreSQL 17 or on the server
 * named by {@code BILLING_TEST_DATABASE_URL}.
 */
module io.agentbilling.testkit.postgres {
    requires transitive java.sql;
    requires transitive org.junit.jupiter.api;
    requires io.agentbilling.embedded.postgres;
    requires java.naming;
    requires org.postgresql.jdbc;
    requires org.slf4j;

    exports io.agentbilling.testkit.postgres;
}
