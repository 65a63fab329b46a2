package io.agentbilling.http.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.TestApplication;
import org.junit.jupiter.api.Test;

/** The composition root starts the real server on PostgreSQL and answers its operational endpoints. */
class ApplicationStartTest {

    @Test
    void the_application_starts_is_ready_and_authenticates_real_keys() {
        try (TestApplication server = new TestApplication()) {
            assertThat(server.get("/health").status()).isEqualTo(200);
            assertThat(server.get("/ready").status()).isEqualTo(200);
            assertThat(server.get("/metrics").body()).contains("billing_db_pool_active_connections");
            TestApplication.TestOrg org = server.newOrg("free");
            assertThat(server.app.billing().authenticateApiKey().execute(org.memberKey())).isPresent();
            assertThat(server.app.usesLocalCheckout()).isTrue();
        }
    }

    @Test
    void the_server_runs_the_engine_that_postgres_billing_wires_with_its_background_jobs() throws InterruptedException {
        try (TestApplication server = new TestApplication()) {
            assertThat(server.app.billing().settlementMetrics().groupCommit()).isTrue();
            assertThat(server.app.billing().backgroundJobs()).isNotNull();
            assertThat(server.app.billing().backgroundJobs().ownsScheduler()).isTrue();
            assertThat(server.get("/metrics").body()).contains("billing_settlement_queue_depth");
        }
        // Closing the application stopped them: their thread ends (it may take a moment to exit after its last run).
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals("billing-background-jobs") && thread.isAlive())) {
            assertThat(System.nanoTime()).as("background job thread still alive after 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void with_a_schema_configured_the_billing_tables_live_there() throws Exception {
        try (TestApplication server = new TestApplication(java.util.Map.of(
                io.agentbilling.http.server.config.ServerConfig.DATABASE_SCHEMA, "billing_server"))) {
            TestApplication.TestOrg org = server.newOrg("free");
            assertThat(server.app.billing().authenticateApiKey().execute(org.memberKey())).isPresent();
            try (java.sql.Connection connection = java.sql.DriverManager.getConnection(server.database.jdbcUrl(),
                    server.database.user(), server.database.password());
                 java.sql.Statement statement = connection.createStatement();
                 java.sql.ResultSet row = statement.executeQuery("SELECT (SELECT count(*) FROM billing_server.orgs),"
                         + " (SELECT count(*) FROM pg_tables WHERE schemaname = 'public')")) {
                row.next();
                assertThat(row.getLong(1)).isPositive();
                assertThat(row.getLong(2)).isZero();
            }
        }
    }
}
