package io.agentbilling.http.server.config;

import io.agentbilling.core.settlement.GroupCommitLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The database the engine runs on and how it uses it.
 *
 * @param external          an external PostgreSQL; empty means "run the embedded one under the data directory"
 * @param schema            the schema to keep the tables in; empty means the role's default
 * @param poolSize          connections in the fixed-size pool
 * @param connectionTimeout how long a caller waits for a pooled connection
 * @param lockTimeout       PostgreSQL {@code lock_timeout} of a transaction ({@code 0} = none)
 * @param statementTimeout  PostgreSQL {@code statement_timeout} of a transaction ({@code 0} = none)
 * @param settlement        the group-commit limits of the settlement path
 */
public record PostgresConfig(
        Optional<ExternalDatabase> external,
        Optional<String> schema,
        int poolSize,
        Duration connectionTimeout,
        Duration lockTimeout,
        Duration statementTimeout,
        GroupCommitLimits settlement) {

    public PostgresConfig {
        Objects.requireNonNull(external, "external");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(connectionTimeout, "connectionTimeout");
        Objects.requireNonNull(lockTimeout, "lockTimeout");
        Objects.requireNonNull(statementTimeout, "statementTimeout");
        Objects.requireNonNull(settlement, "settlement");
    }

    /** An external PostgreSQL; the password's {@link Secret} keeps it out of every printout. */
    public record ExternalDatabase(String url, Optional<String> user, Optional<Secret> password) {
        public ExternalDatabase {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }
    }
}
