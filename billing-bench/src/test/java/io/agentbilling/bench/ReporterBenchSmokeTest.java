package io.agentbilling.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The reporter point with tiny sizes: server child process, setup through the API, the baseline loop and every
 * reporter variant, each checked exactly once in the ledger. Runs only in the {@code bench} profile. Asserts that the
 * harness works and the ledger is right, not any speed.
 */
class ReporterBenchSmokeTest {

    @Test
    void a_tiny_run_measures_every_point_and_finds_each_event_once_in_the_ledger() throws Exception {
        Path jar = Path.of(System.getProperty("bench.serverJar", "../billing-http/target/billing-server.jar"));
        assumeTrue(Files.isRegularFile(jar), "the server jar is built by the reactor before this module");

        String table = ReporterBench.run(jar, 3_000, 20, 2, 2);

        assertThat(table).contains("| raw batch requests, plain HTTP loop (baseline) |",
                "| UsageReporter, report() from 8 threads, fsync always |",
                "| UsageReporter, report() from 8 threads, fsync every 100 ms |",
                "| UsageReporter, reportAll() of 1 000 from 1 thread, fsync always |");
        assertThat(table).doesNotContain("FAIL");
        assertThat(table.lines().filter(line -> line.endsWith("| ok, every round |")).count()).isEqualTo(4);
    }
}
