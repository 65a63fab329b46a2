package io.agentbilling.jdbc.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.jdbc.setup.DatabaseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestDatabasesTest {

    @RegisterExtension
    static final TestDatabaseExtension DATABASE = TestDatabaseExtension.migrated("classpath:db/test-migration");

    @Test
    void each_fresh_database_is_a_separate_empty_database_on_the_same_server() throws SQLException {
        DatabaseConfig first = TestDatabases.freshDatabase("Isolation Check");
        DatabaseConfig second = TestDatabases.freshDatabase("Isolation Check");

        assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl()).contains("/t_isolation_check_");
        execute(first, "CREATE TABLE only_in_first (id int)");
        assertThat(queryLong(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'")).isZero();

        TestDatabases.dropDatabase(first);
        TestDatabases.dropDatabase(second);
    }

    @Test
    void the_extension_gives_the_class_a_migrated_database_with_a_pool() throws SQLException {
        try (Connection connection = DATABASE.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT note FROM probe WHERE id = 1")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString(1)).isEqualTo("applied once");
        }
        assertThat(DATABASE.config().jdbcUrl()).contains("/t_testdatabasestest_");
    }

    private static void execute(DatabaseConfig database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long queryLong(DatabaseConfig database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
                database.password());
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
