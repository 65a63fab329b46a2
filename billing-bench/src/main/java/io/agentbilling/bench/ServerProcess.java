package io.agentbilling.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The billing server under test, as a child process: {@code java <jvmOptions> -jar billing-server.jar} on loopback, with
 * its embedded PostgreSQL in its own data directory and a generated internal secret. Its output goes to
 * {@code server.log} next to the data directory. Knows the server's pid (for RSS) and its database port (read from
 * PostgreSQL's {@code postmaster.pid}, so pgbench, the naive baseline and the checks use the same database).
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final String secret;
    private final Path dataDir;
    private final int databasePort;

    private ServerProcess(Process process, int port, String secret, Path dataDir, int databasePort) {
        this.process = process;
        this.port = port;
        this.secret = secret;
        this.dataDir = dataDir;
        this.databasePort = databasePort;
    }

    static ServerProcess start(Path jar, List<String> jvmOptions, Path dataDir, Map<String, String> settings)
            throws IOException, InterruptedException {
        return start(jar, jvmOptions, dataDir, settings, -1);
    }

    /**
     * Another instance of the server on the PostgreSQL of a running one ({@code BILLING_DATABASE_URL} pointing at it,
     * user {@code postgres}: the embedded server trusts loopback), as a second instance behind a load balancer would
     * run. Its log goes next to {@code dataDir} too.
     */
    static ServerProcess startOn(Path jar, List<String> jvmOptions, Path dataDir, int databasePort)
            throws IOException, InterruptedException {
        return start(jar, jvmOptions, dataDir, Map.of("BILLING_DATABASE_URL",
                "jdbc:postgresql://127.0.0.1:" + databasePort + "/billing", "BILLING_DATABASE_USER", "postgres"),
                databasePort);
    }

    /** @param knownDatabasePort the database's port when the server uses an existing one, else -1 (embedded) */
    private static ServerProcess start(Path jar, List<String> jvmOptions, Path dataDir, Map<String, String> settings,
                                       int knownDatabasePort) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("server jar " + jar + " not found; build it first (bin/benchmark does)");
        }
        int port = freePort();
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String secret = "bench-" + HexFormat.of().formatHex(random);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("BILLING_") || name.startsWith("STRIPE_"));
        env.put("BILLING_PORT", Integer.toString(port));
        env.put("BILLING_HOST", "127.0.0.1");
        env.put("BILLING_DATA_DIR", dataDir.toAbsolutePath().toString());
        env.put("BILLING_INTERNAL_SECRET", secret);
        // The benchmark drives the public API with one key per workload at hundreds of requests a second: it measures
        // the server, not the per-key rate limit, which would refuse most of them.
        env.put("BILLING_RATE_LIMIT_RPS", "0");
        // glibc gives every thread that mallocs its own arena (up to 8 per core): resident memory the JVM never
        // asked for. Two arenas are plenty for a JVM, whose allocations go to its own heap.
        env.putIfAbsent("MALLOC_ARENA_MAX", "2");
        env.putAll(settings);
        Path log = dataDir.resolveSibling(dataDir.getFileName() + "-server.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            awaitHealthy(process, port, log);
            int databasePort = knownDatabasePort >= 0 ? knownDatabasePort : databasePort(dataDir.resolve("postgres"));
            return new ServerProcess(process, port, secret, dataDir, databasePort);
        } catch (IOException | RuntimeException | InterruptedException e) {
            stop(process);
            throw e;
        }
    }

    private static void awaitHealthy(Process process, int port, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        byte[] health = HttpConnection.request("GET", "127.0.0.1:" + port, "/health", new String[0], null);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + "; see " + log);
            }
            try (HttpConnection connection = new HttpConnection("127.0.0.1", port)) {
                if (connection.send(health).status() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the server did not become healthy within 180 s; see " + log);
    }

    /** Line 4 of postmaster.pid is the port PostgreSQL listens on. */
    private static int databasePort(Path postgresDir) throws IOException {
        List<String> lines = Files.readAllLines(postgresDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
        return Integer.parseInt(lines.get(3).strip());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    String secret() {
        return secret;
    }

    long pid() {
        return process.pid();
    }

    int databasePort() {
        return databasePort;
    }

    Path dataDir() {
        return dataDir;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Graceful stop (SIGTERM: the server drains, then stops its PostgreSQL); forced after a minute. */
    @Override
    public void close() {
        stop(process);
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
