package io.agentbilling.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.agentbilling.core.Billing;
import io.agentbilling.core.access.Member;
import io.agentbilling.core.access.OrgId;
import io.agentbilling.core.access.Role;
import io.agentbilling.core.money.Credits;
import io.agentbilling.core.usecase.AddMember;
import io.agentbilling.core.usecase.CheckCredit;
import io.agentbilling.core.usecase.CreateOrg;
import io.agentbilling.core.usecase.SettleModelUsage;
import io.agentbilling.jdbc.setup.DataSources;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import io.agentbilling.jdbc.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The embedding entry point on a real PostgreSQL: wiring, schema, ownership of the pool, failures at start. */
class PostgresBillingTest {

    @Test
    void on_its_own_pool_the_engine_runs_in_its_schema_and_closes_the_pool() throws SQLException {
        DatabaseConfig database = TestDatabases.freshDatabase("engine_url").withPoolName("billing-engine-url");
        PostgresBilling engine = PostgresBilling.configure()
                .database(database) // .url(jdbcUrl, user, password) is this with the default pool settings
                .schema("billing")
                .start();
        try (HikariDataSource watcher = DataSources.create(database.withPoolSize(1).withPoolName("watcher"))) {
            try (engine) {
                settleOnce(engine.billing(), "url");
                assertThat(queryLong(watcher, "SELECT count(*) FROM billing.ledger_entries")).isEqualTo(2);
                assertThat(queryLong(watcher, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
                assertThat(engine.billing().settlementMetrics().groupCommit()).isTrue();
                assertThat(engine.billing().backgroundJobs().ownsScheduler()).isTrue();
                assertThat(sessionsNamed(watcher, "billing-engine-url")).isPositive();
            }
            awaitNoSessionNamed(watcher, "billing-engine-url");
        }
    }

    @Test
    void on_the_hosts_data_source_the_schema_is_set_per_transaction_and_the_pool_stays_open() throws SQLException {
        DatabaseConfig database = TestDatabases.freshDatabase("engine_host_pool");
        try (HikariDataSource hostPool = DataSources.create(database.withPoolSize(2))) {
            try (PostgresBilling engine = PostgresBilling.configure().dataSource(hostPool).schema("billing")
                    .historyTable("engine_migrations").start()) {
                OrgId org = settleOnce(engine.billing(), "host");
                // A single-statement read (credit check) finds the schema too.
                assertThat(engine.billing().checkCredit().execute(new CheckCredit.Command(org, Credits.ofCents(1)))
                        .allowed()).isTrue();
                assertThat(queryLong(hostPool, "SELECT count(*) FROM billing.engine_migrations")).isPositive();
            }
            assertThat(hostPool.isClosed()).isFalse();
            // The host's connections keep their own search path.
            assertThat(queryString(hostPool, "SELECT current_schema()")).isEqualTo("public");
        }
    }

    @Test
    void a_start_that_fails_closes_the_pool_it_opened() throws SQLException {
        DatabaseConfig database = TestDatabases.freshDatabase("engine_fails").withPoolName("billing-engine-fails");
        try (HikariDataSource watcher = DataSources.create(database.withPoolSize(1).withPoolName("watcher"))) {
            execute(watcher, "CREATE TABLE orgs (something_else int)"); // the host's own table of the same name

            assertThatThrownBy(() -> PostgresBilling.configure().database(database).start())
                    .hasMessageContaining("orgs");

            awaitNoSessionNamed(watcher, "billing-engine-fails");
        }
    }

    @Test
    void start_without_a_database_says_what_is_missing() {
        assertThatThrownBy(() -> PostgresBilling.configure().start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dataSource");
    }

    private static OrgId settleOnce(Billing billing, String key) {
        OrgId org = billing.createOrg().execute(CreateOrg.Command.builder()
                .name("Acme").plan("free").idempotencyKey("org-" + key).build()).org().id();
        Member dev = billing.addMember().execute(new AddMember.Command(org, "dev@acme.test", Role.MEMBER, "dev")).member();
        billing.settleModelUsage().execute(SettleModelUsage.Command.builder()
                .orgId(org).memberId(dev.id()).model("gpt-5").inputTokens(1_200).outputTokens(300)
                .referenceId("req-1").idempotencyKey("req-1").build());
        assertThat(billing.getCredits().forOrg(org).balance().toCentsFloor()).isEqualTo(499);
        return org;
    }

    private static long sessionsNamed(DataSource dataSource, String applicationName) throws SQLException {
        return queryLong(dataSource, "SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                + applicationName + "' AND datname = current_database()");
    }

    /** A closed connection's server process leaves pg_stat_activity a moment after the client hung up. */
    private static void awaitNoSessionNamed(DataSource dataSource, String applicationName) throws SQLException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (sessionsNamed(dataSource, applicationName) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sessions of " + applicationName + " still open after 30 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long queryLong(DataSource dataSource, String sql) throws SQLException {
        return Long.parseLong(queryString(dataSource, sql));
    }

    private static String queryString(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }
}
