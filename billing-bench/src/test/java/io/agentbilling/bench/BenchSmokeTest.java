package io.agentbilling.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole harness with tiny sizes (seconds, not minutes): server child process, setup through the API, every
 * workload against our server and the naive baseline, the second server instance on the same database, the reads
 * and the overload point, pgbench (ceiling and floor) when installed, every correctness check, the table.
 * Runs only in the {@code bench} profile ({@code ./mvnw -Pbench -pl billing-bench -am verify}), never in the
 * default build. Asserts that the harness works and the ledgers are right, not any speed.
 */
class BenchSmokeTest {

    @Test
    void a_tiny_run_drives_every_workload_checks_the_ledgers_and_prints_the_table(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("bench.serverJar", "../billing-http/target/billing-server.jar"));
        assumeTrue(Files.isRegularFile(jar), "the server jar is built by the reactor before this module");
        Path output = dir.resolve("results.md");

        String table = BenchMain.run(Options.smoke(jar, output));

        assertThat(output).hasContent(table);
        assertThat(table).contains("| many orgs (20), 1 settlement/request, 2 clients |",
                "| one hot org, 1 settlement/request, 4 clients |", "| batch endpoint, 20 events/request",
                "| credit check, open loop", "| settlement, open loop", "| my-usage period=all_time",
                "server RSS, peak of the whole run");
        assertThat(table).contains("two server instances on one database**, 2 clients (1 per instance",
                "\nok   two2 (ours, 2 instances): exactly once: ");
        assertThat(table).contains("| `GET /health` |", "| `POST /v1/internal/billing/credit-check` (internal secret) |",
                "| `GET /v1/billing/credits` (API key) |", "| `GET /v1/billing/plan` (API key) |",
                "| `GET /v1/billing/my-usage?period=30d` (API key) |",
                "| public reads >= 50% of `GET /health` (4 connections, same run) |");
        assertThat(table).contains("**Overload**", "closed loop at **16 connections**", "the database meanwhile",
                "| overload (16 connections on `GET /v1/billing/credits`)");
        if (Pgbench.find().isPresent()) {
            assertThat(table).containsPattern("\\| many orgs \\(20\\), 1 settlement/request, 2 clients \\|"
                    + "[^\n]*/s \\(\\d+/tx × \\d+\\) \\|[^\n]*\\d\\.\\d\\d× \\|");
            assertThat(table).contains(
                    "| every settlement workload: ours >= 0.5x the pgbench floor at its batch size |");
        }
        assertThat(table).doesNotContain("\nFAIL ");
        assertThat(table).contains("correctness: no drift, exactly once, replays add nothing (every workload) | "
                + "all checks passed | met");
    }
}
