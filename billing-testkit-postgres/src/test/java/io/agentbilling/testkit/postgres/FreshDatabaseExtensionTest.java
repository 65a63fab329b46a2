package io.agentbilling.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FreshDatabaseExtensionTest {

    @RegisterExtension
    static final FreshDatabaseExtension DATABASE = new FreshDatabaseExtension();

    @Test
    void the_class_gets_an_empty_postgresql_17_database_named_after_it() throws SQLException {
        assertThat(DATABASE.database().name()).startsWith("t_freshdatabaseextensiontest_");
        assertThat(DATABASE.jdbcUrl()).endsWith("/" + DATABASE.database().name());
        assertThat(queryLong(DATABASE.dataSource(), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"))
                .isZero();
        assertThat(queryLong(DATABASE.dataSource(), "SELECT current_setting('server_version_num')::int / 10000"))
                .isEqualTo(17);
    }

    @Test
    void each_fresh_database_is_a_separate_database_on_the_same_server() throws SQLException {
        TestDatabase first = TestPostgres.freshDatabase("Isolation Check");
        TestDatabase second = TestPostgres.freshDatabase("Isolation Check");
        try {
            assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl()).contains("/t_isolation_check_");
            execute(first.dataSource(), "CREATE TABLE only_in_first (id int)");
            assertThat(queryLong(second.dataSource(),
                    "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'")).isZero();
        } finally {
            TestPostgres.dropDatabase(first);
            TestPostgres.dropDatabase(second);
        }
        assertThatThrownBy(() -> first.dataSource().getConnection().close()).isInstanceOf(SQLException.class);
    }

    @Test
    void long_names_are_cut_to_fit_postgresql_identifiers() {
        assertThat(TestPostgres.uniqueDatabaseName("x".repeat(200))).hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void the_password_is_never_shown() {
        assertThat(new TestDatabase("t_x", "jdbc:postgresql://h/t_x", "u", "hunter2")).asString()
                .doesNotContain("hunter2");
    }

    private static void execute(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long queryLong(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
