package io.agentbilling.testkit.postgres;

import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One database made for a test by {@link TestPostgres#freshDatabase}: where it is and how to log in.
 *
 * @param name     the database's name (always starts with {@code t_})
 * @param jdbcUrl  {@code jdbc:postgresql://host:port/<name>}, with the server URL's parameters, if any
 * @param user     a role that owns the database
 * @param password may be empty (the embedded server trusts local connections), never null
 */
public record TestDatabase(String name, String jdbcUrl, String user, String password) {
    private static final Pattern NAME = Pattern.compile("t_[a-z0-9_]{1,61}");

    public TestDatabase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a test database name: " + name);
        }
    }

    /**
     * A plain, unpooled data source on the database (each {@code getConnection} opens a connection): enough to give
     * the engine or to look at the rows; use your own pool where connections are many.
     */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        dataSource.setUser(user);
        dataSource.setPassword(password);
        return dataSource;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "TestDatabase[name=" + name + ", jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
    }
}
