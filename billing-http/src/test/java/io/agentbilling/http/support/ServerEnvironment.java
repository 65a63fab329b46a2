package io.agentbilling.http.support;

import io.agentbilling.http.server.BillingApplication;
import io.agentbilling.http.server.config.ServerConfig;
import io.agentbilling.jdbc.setup.DatabaseConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment {@code main} gets in the tests, as one place: a database, port 0 on loopback, a fresh data
 * directory, a small pool, an internal secret, the public URL the checkout redirects name, and no per-key rate limit
 * (the suites send thousands of requests with one key as fast as they can; {@code RateLimitTest} sets it back on).
 * Servers built from the same database's environment share it, as two instances or a restarted one do.
 */
public final class ServerEnvironment {
    /** The internal secret the servers of the tests accept unless a test sets another. */
    public static final String INTERNAL_SECRET = "test-internal-secret-0123456789abcdef";

    private final Map<String, String> variables = new HashMap<>();

    private ServerEnvironment(DatabaseConfig database) {
        try {
            variables.put(ServerConfig.DATA_DIR, Files.createTempDirectory("billing-test").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        variables.put(ServerConfig.PORT, "0");
        variables.put(ServerConfig.HOST, "127.0.0.1");
        variables.put(ServerConfig.DATABASE_URL, database.jdbcUrl());
        variables.put(ServerConfig.DATABASE_USER, database.user());
        variables.put(ServerConfig.DATABASE_PASSWORD, database.password());
        variables.put(ServerConfig.DB_POOL_SIZE, "4");
        variables.put(ServerConfig.INTERNAL_SECRET, INTERNAL_SECRET);
        variables.put(ServerConfig.PUBLIC_URL, "http://localhost:8080");
        variables.put(ServerConfig.ALLOWED_REDIRECT_ORIGINS, "http://localhost:8080,https://app.example.com");
        variables.put(ServerConfig.RATE_LIMIT_RPS, "0");
    }

    public static ServerEnvironment forDatabase(DatabaseConfig database) {
        return new ServerEnvironment(database);
    }

    /** Sets (or overrides) one variable. */
    public ServerEnvironment with(String name, String value) {
        variables.put(name, value);
        return this;
    }

    /** Sets (or overrides) these variables. */
    public ServerEnvironment with(Map<String, String> more) {
        variables.putAll(more);
        return this;
    }

    public String internalSecret() {
        return variables.get(ServerConfig.INTERNAL_SECRET);
    }

    /** The variables, as a map the caller may change (e.g. to add {@code PATH} for a server process). */
    public Map<String, String> toMap() {
        return new HashMap<>(variables);
    }

    /** The real server, as {@code main} builds it from this environment, started in this JVM. */
    public BillingApplication start() {
        return BillingApplication.start(ServerConfig.fromEnvironment(toMap()));
    }
}
