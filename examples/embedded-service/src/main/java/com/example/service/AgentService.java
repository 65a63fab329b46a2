package com.example.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A service with its own schema and migrations (src/main/resources/db/migration, its own V1__) that embeds the billing
 * engine in the same database. Run it with a JDBC URL, user and password; running it again changes nothing.
 */
public final class AgentService {

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: AgentService <jdbc-url> <user> <password>");
            System.exit(2);
        }
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(args[0]);
        dataSource.setUser(args[1]);
        dataSource.setPassword(args[2]);
        System.out.println("Acme's balance: " + start(dataSource) + " cents");
    }

    /** Migrates the service's own schema, registers its agent, charges its model call; returns Acme's balance. */
    public static long start(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).load().migrate();
        registerAgent(dataSource, "agent-1", "dev@acme.test");
        return ChargeModelCall.run(dataSource);
    }

    private static void registerAgent(DataSource dataSource, String agentId, String owner) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO agents (agent_id, owner) VALUES (?, ?) ON CONFLICT (agent_id) DO NOTHING")) {
            insert.setString(1, agentId);
            insert.setString(2, owner);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not register agent " + agentId, e);
        }
    }

    private AgentService() {
    }
}
