package io.agentbilling.http.faults;

import static io.agentbilling.http.faults.FaultServers.modelUsage;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentbilling.http.support.ServerEnvironment;
import io.agentbilling.http.support.TestClient;
import io.agentbilling.http.support.Answer;
import io.agentbilling.http.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as {@code bin/billing-server} runs it, on its embedded PostgreSQL, whose postmaster is then killed with
 * SIGKILL under the running server: the server restarts its database on the same data directory and port and settles
 * again (no answer 503 forever, no manual restart); what was settled before the kill is still there. Then the server
 * is stopped, and its database with it.
 */
class EmbeddedDatabaseCrashTest {
    private static final TestClient HTTP = FaultServers.client();
    private static final String MODEL = "/v1/internal/billing/model-usage";

    @Test
    void the_server_restarts_its_embedded_postgresql_when_it_dies(@TempDir Path dir) throws Exception {
        Path dataDir = dir.resolve("data");
        Map<String, String> env = new HashMap<>();
        env.put(ServerConfig.PORT, "0");
        env.put(ServerConfig.HOST, "127.0.0.1");
        env.put(ServerConfig.DATA_DIR, dataDir.toString());
        env.put(ServerConfig.INTERNAL_SECRET, ServerEnvironment.INTERNAL_SECRET);
        env.put(ServerConfig.PUBLIC_URL, "http://localhost:8080");
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Path output = Files.createFile(dir.resolve("server.log"));
        ServerProcess server = ServerProcess.start(env, output);
        try {
            FaultServers.Org org = FaultServers.createOrg(HTTP.at(server.base()), "pro", 0);
            Answer before = FaultServers.untilNot503(() -> HTTP.at(server.base()).internalPost(MODEL,
                    modelUsage(org, "before", 0)));
            assertThat(before.status()).as(before.toString()).isEqualTo(200);

            long postmasterPid = postmasterPid(dataDir);
            ProcessHandle postmaster = ProcessHandle.of(postmasterPid).orElseThrow();
            postmaster.destroyForcibly();

            // Back within a minute on a busy machine (crash recovery included); 503s until then, never a 500.
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            Answer after;
            int attempt = 0;
            do {
                Thread.sleep(250);
                after = HTTP.at(server.base()).internalPost(MODEL, modelUsage(org, "after", 0));
                assertThat(after.status()).as("while the database is restarted: " + after).isIn(200, 503);
                attempt++;
            } while (after.status() != 200 && System.nanoTime() < deadline);
            assertThat(after.status()).as("a settlement after the kill, " + attempt + " attempts: " + after
                    + "; log in " + output).isEqualTo(200);
            assertThat(postmasterPid(dataDir)).isNotEqualTo(postmasterPid);
            assertThat(Files.readString(output)).contains("Embedded PostgreSQL restarted");

            Answer replay = HTTP.at(server.base()).internalPost(MODEL, modelUsage(org, "before", 0));
            assertThat(replay.status()).isEqualTo(200);
            assertThat(replay.replayed()).as("the settlement made before the kill survived it").isTrue();
            assertThat(HTTP.at(server.base()).get("/ready").status()).isEqualTo(200);
        } finally {
            server.close();
            killPostgresOf(dataDir);
        }
        assertThat(postgresProcessesOf(dataDir)).as("the database stopped with the server").isEmpty();
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid")).get(0).strip());
    }

    private static Stream<ProcessHandle> postgresProcessesOf(Path dataDir) {
        Path postgres;
        try {
            postgres = dataDir.resolve("postgres").toRealPath();
        } catch (IOException e) {
            return Stream.empty();
        }
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).startsWith(postgres);
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        });
    }

    /** A failed test must not leave a PostgreSQL running on the machine. */
    private static void killPostgresOf(Path dataDir) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (postgresProcessesOf(dataDir).findAny().isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(100); // the stopping server shuts its database down itself
        }
        postgresProcessesOf(dataDir).forEach(ProcessHandle::destroyForcibly);
    }
}
