package io.agentbilling.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar billing-bench/target/billing-bench.jar [--quick] [options]} (usually through {@code bin/benchmark}):
 * runs the benchmark, prints the table and writes it to {@code --out}. Exits 1 when a correctness check failed (a
 * missed speed target is reported, not an error).
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--reporter")) {
            ReporterBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (List.of(args).contains("--help")) {
            System.out.println("usage: bin/benchmark [--quick] [--orgs N] [--clients 8,32,64] [--hot-clients 8,64]"
                    + " [--batch-clients 2,4] [--seconds S] [--warmup S] [--rate R] [--usage-events N]"
                    + " [--pgbench-clients 8,32,64] [--read-connections 32] [--overload-connections 512]"
                    + " [--two-instance-clients 64 (0: none)] [--no-naive] [--no-pgbench] [--server-jar PATH]"
                    + " [--server-jvm \"-Xmx160m ...\"] [--out FILE]   (see billing-bench/README.md)");
            System.out.println("       bin/benchmark --reporter [--events N] [--orgs N] [--senders N] [--rounds N] [--out FILE]"
                    + "   (the UsageReporter point)");
            return;
        }
        Options options = Options.parse(args);
        String text = run(options);
        System.out.println(text);
        System.exit(text.contains("\nFAIL ") ? 1 : 0);
    }

    /** Runs the benchmark, writes the table to {@code options.output} and returns it. */
    static String run(Options options) throws Exception {
        Report report = new Bench(options, System.err).run();
        String text = report.render("Benchmark (" + options.mode + ", "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ")", machine(options));
        Path output = options.output.toAbsolutePath();
        Files.createDirectories(output.getParent());
        Files.writeString(output, text, StandardCharsets.UTF_8);
        System.err.println("[bench] table written to " + output);
        return text;
    }

    static String machine(Options options) {
        return String.format(Locale.ROOT, "Machine: %d cores (%s), %s RAM, %s %s; Java %s. Server: %s on embedded "
                        + "PostgreSQL 17 (fsync=on, synchronous_commit=on), loopback; load generators, the naive "
                        + "baseline and pgbench on the same machine. Settings: %s.",
                Runtime.getRuntime().availableProcessors(), cpuModel(), memTotal(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"),
                String.join(" ", options.serverJvmOptions), options);
    }

    static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024 + " GiB").findFirst()
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
