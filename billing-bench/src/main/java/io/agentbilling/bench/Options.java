package io.agentbilling.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Sizes and settings of a run. {@link #full()} is the documented benchmark (about 20 minutes on 2 cores),
 * {@link #quick()} a few minutes, {@link #smoke} seconds (the bench profile's smoke test). Command-line options
 * override single values ({@link #set}). Not thread-safe; built before the run and then only read.
 */
final class Options {
    /**
     * The server's JVM for the memory target (RSS <= 384 MiB at peak): a 160 MiB heap (the live set under load is far
     * smaller; a larger heap is simply filled before the serial collector runs), and bounds on the non-heap parts.
     */
    static final List<String> DEFAULT_SERVER_JVM = List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=128m",
            "-XX:ReservedCodeCacheSize=48m", "-Xss512k");

    String mode = "full";
    Path serverJar = Path.of("billing-http/target/billing-server.jar");
    List<String> serverJvmOptions = DEFAULT_SERVER_JVM;
    int orgs = 10_000;
    List<Integer> manyOrgClients = List.of(8, 32, 64);
    List<Integer> hotOrgClients = List.of(8, 64);
    List<Integer> batchClients = List.of(2, 4);
    int batchSize = 1_000;
    double warmupSeconds = 5;
    double measureSeconds = 15;
    double latencyRate = 2_000;
    int latencyConnections = 64;
    double latencySeconds = 20;
    long usageEvents = 1_000_000;
    int usageMembers = 10;
    int usageSpreadDays = 90;
    double reportRate = 100;
    double reportSeconds = 10;
    /** Closed-loop connections of the read point ({@code /health}, credit check, the public reads). */
    int readConnections = 32;
    /** Orgs whose member gets an API key for the public reads (each read picks one of them). */
    int readKeys = 64;
    /** Connections of the overload point ({@code GET /v1/billing/credits}). */
    int overloadConnections = 512;
    /** Clients of the two-instance point, split evenly over the two servers; 0 leaves the point out. */
    int twoInstanceClients = 64;
    List<Integer> pgbenchClients = List.of(8, 32, 64);
    int pgbenchSeconds = 15;
    boolean naive = true;
    boolean pgbench = true;
    double replayRate = 0.05;
    Path output = Path.of("billing-bench/target/benchmark-results.md");

    static Options full() {
        return new Options();
    }

    static Options quick() {
        Options o = new Options();
        o.mode = "quick";
        o.orgs = 2_000;
        o.manyOrgClients = List.of(32);
        o.twoInstanceClients = 32;
        o.batchClients = List.of(4);
        o.warmupSeconds = 2;
        o.measureSeconds = 5;
        o.latencySeconds = 8;
        o.usageEvents = 200_000;
        o.reportSeconds = 4;
        o.pgbenchClients = List.of(16, 64);
        o.pgbenchSeconds = 5;
        return o;
    }

    static Options smoke(Path serverJar, Path output) {
        Options o = new Options();
        o.mode = "smoke";
        o.serverJar = serverJar;
        o.output = output;
        o.orgs = 20;
        o.manyOrgClients = List.of(2);
        o.hotOrgClients = List.of(2, 4);
        o.batchClients = List.of(1);
        o.batchSize = 20;
        o.warmupSeconds = 0.5;
        o.measureSeconds = 1;
        o.latencyRate = 100;
        o.latencyConnections = 4;
        o.latencySeconds = 1;
        o.usageEvents = 2_000;
        o.usageMembers = 3;
        o.usageSpreadDays = 10;
        o.reportRate = 20;
        o.reportSeconds = 1;
        o.pgbenchClients = List.of(2);
        o.pgbenchSeconds = 2;
        o.readConnections = 4;
        o.readKeys = 3;
        o.overloadConnections = 16;
        o.twoInstanceClients = 2;
        return o;
    }

    /** Parses {@code [--quick] [--name value]…}. */
    static Options parse(String[] args) {
        Options o = Arrays.asList(args).contains("--quick") ? quick() : full();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--quick")) {
                continue;
            }
            if (name.equals("--no-naive") || name.equals("--no-pgbench")) {
                o.set(name, "");
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            o.set(name, args[++i]);
        }
        return o;
    }

    void set(String name, String value) {
        switch (name) {
            case "--server-jar" -> serverJar = Path.of(value);
            case "--server-jvm" -> serverJvmOptions = List.of(value.trim().split("\\s+"));
            case "--orgs" -> orgs = Integer.parseInt(value);
            case "--clients" -> manyOrgClients = ints(value);
            case "--hot-clients" -> hotOrgClients = ints(value);
            case "--batch-clients" -> batchClients = ints(value);
            case "--warmup" -> warmupSeconds = Double.parseDouble(value);
            case "--seconds" -> {
                measureSeconds = Double.parseDouble(value);
                latencySeconds = measureSeconds;
                pgbenchSeconds = (int) Math.ceil(measureSeconds);
            }
            case "--rate" -> latencyRate = Double.parseDouble(value);
            case "--usage-events" -> usageEvents = Long.parseLong(value);
            case "--pgbench-clients" -> pgbenchClients = ints(value);
            case "--read-connections" -> readConnections = Integer.parseInt(value);
            case "--overload-connections" -> overloadConnections = Integer.parseInt(value);
            case "--two-instance-clients" -> twoInstanceClients = Integer.parseInt(value);
            case "--no-naive" -> naive = false;
            case "--no-pgbench" -> pgbench = false;
            case "--out" -> output = Path.of(value);
            default -> throw new IllegalArgumentException("unknown option " + name + " (see billing-bench/README.md)");
        }
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    @Override
    public String toString() {
        return mode + ": " + orgs + " orgs, clients " + manyOrgClients + ", hot " + hotOrgClients + ", batch "
                + batchClients + "x" + batchSize + ", " + warmupSeconds + "+" + measureSeconds + " s per point, "
                + latencyRate + " req/s open loop for " + latencySeconds + " s, " + usageEvents
                + " usage events, pgbench clients " + pgbenchClients + ", reads at " + readConnections
                + " connections with " + readKeys + " API keys, overload at " + overloadConnections
                + " connections, two instances at " + twoInstanceClients + " clients, server JVM " + serverJvmOptions;
    }
}
