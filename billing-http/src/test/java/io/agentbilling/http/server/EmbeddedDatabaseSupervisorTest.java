package io.agentbilling.http.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.embedded.postgres.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Supervision of the server's embedded PostgreSQL, on real PostgreSQL processes (no timing assertions). */
class EmbeddedDatabaseSupervisorTest {
    @TempDir
    Path dir;

    @Test
    void a_database_that_died_is_started_again_on_the_same_port() throws Exception {
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        EmbeddedDatabase database = EmbeddedDatabase.start(dir.resolve("pg"), 0);
        try (EmbeddedDatabaseSupervisor supervisor = new EmbeddedDatabaseSupervisor(database, Duration.ofMillis(100),
                exited::complete)) {
            String url = supervisor.databaseConfig().jdbcUrl();
            ProcessHandle.of(database.postmasterPid()).orElseThrow().destroyForcibly();

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (supervisor.restarts() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(supervisor.restarts()).isEqualTo(1);
            assertThat(supervisor.current().isRunning()).isTrue();
            assertThat(supervisor.current().postmasterPid()).isNotEqualTo(database.postmasterPid());
            try (Connection connection = DriverManager.getConnection(url, EmbeddedDatabase.USER,
                    EmbeddedDatabase.PASSWORD)) {
                assertThat(connection.isValid(5)).as("the pool's URL still reaches the database").isTrue();
            }
            assertThat(exited).isNotDone();
        }
        assertThat(database.isRunning()).isFalse();
    }

    @Test
    void a_database_that_cannot_be_restarted_makes_the_server_exit_non_zero() throws Exception {
        CompletableFuture<Integer> exited = new CompletableFuture<>();
        Path data = dir.resolve("pg");
        EmbeddedDatabase database = EmbeddedDatabase.start(data, 0);
        try (EmbeddedDatabaseSupervisor supervisor = new EmbeddedDatabaseSupervisor(database, Duration.ofMillis(100),
                exited::complete)) {
            // A data directory that no longer starts (another major version's), then the crash.
            Files.writeString(data.resolve("PG_VERSION"), "16\n");
            ProcessHandle.of(database.postmasterPid()).orElseThrow().destroyForcibly();

            assertThat(exited.get(60, TimeUnit.SECONDS)).isEqualTo(EmbeddedDatabaseSupervisor.EXIT_STATUS);
            assertThat(supervisor.restarts()).isZero();
        }
    }
}
