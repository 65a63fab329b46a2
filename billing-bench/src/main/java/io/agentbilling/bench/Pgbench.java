package io.agentbilling.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pgbench} against the server's embedded PostgreSQL: one custom script, {@code -M prepared}, some clients for
 * some seconds, and the transactions per second it reports. Used by {@link PgbenchCeiling} and {@link PgbenchFloor}.
 * Immutable.
 */
final class Pgbench {
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private final String executable;
    private final int databasePort;

    Pgbench(String executable, int databasePort) {
        this.executable = executable;
        this.databasePort = databasePort;
    }

    /** pgbench on the PATH (or {@code /usr/bin/pgbench}, or a Debian PostgreSQL package's), if any. */
    static Optional<String> find() {
        for (String candidate : List.of("/usr/bin/pgbench", "/usr/local/bin/pgbench")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Optional.of(candidate);
            }
        }
        try (var versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            Optional<Path> bundled = versions.map(v -> v.resolve("bin/pgbench")).filter(Files::isExecutable)
                    .sorted().reduce((a, b) -> b);
            if (bundled.isPresent()) {
                return Optional.of(bundled.get().toString());
            }
        } catch (IOException e) {
            // no Debian PostgreSQL packages
        }
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pgbench"))) {
                return Optional.of(Path.of(dir, "pgbench").toString());
            }
        }
        return Optional.empty();
    }

    /** Transactions per second of {@code script} at {@code clients} clients, with {@code -D name=value} variables. */
    double tps(Path script, int clients, int seconds, Map<String, String> variables)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable, "-n", "-M", "prepared", "-h", "127.0.0.1", "-p",
                Integer.toString(databasePort), "-U", "postgres", "-c", Integer.toString(clients), "-j",
                Integer.toString(Math.min(clients, 2)), "-T", Integer.toString(seconds)));
        variables.forEach((name, value) -> {
            command.add("-D");
            command.add(name + "=" + value);
        });
        command.addAll(List.of("-f", script.toString(), "billing"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(seconds + 120L, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + output);
        }
        Matcher tps = TPS.matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("no tps in pgbench output:\n" + output);
        }
        return Double.parseDouble(tps.group(1));
    }
}
