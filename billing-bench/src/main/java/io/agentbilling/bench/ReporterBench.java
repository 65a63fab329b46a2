package io.agentbilling.bench;

import io.agentbilling.client.BillingServiceClient;
import io.agentbilling.client.FsyncPolicy;
import io.agentbilling.client.ReporterMetrics;
import io.agentbilling.client.UsageReporter;
import io.agentbilling.client.service.ModelUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.Histogram;

/**
 * {@code bin/benchmark --reporter}: the throughput of billing-client's {@code UsageReporter} into the batch endpoint,
 * against raw batch requests from a plain HTTP loop in the same run, on the same server (the server jar as a child
 * process on its embedded PostgreSQL, as in the main benchmark).
 *
 * <p>The baseline sends pre-built bodies of 1 000 model events from {@code senders} threads through the JDK
 * {@code HttpClient} (the reporter's transport), back to back. Each reporter point reports the same number of events
 * (fresh keys) into a fresh spool directory — from 8 threads one {@code report} at a time, or from one thread with
 * {@code reportAll} of 1 000 — with the same number of senders, and is timed from the first report until
 * {@code flush} has seen every event settled. Its rate is events settled per second; the ratio is against the
 * baseline. Every point's keys are checked in the ledger: each exactly once. The latency of {@code report} itself
 * (what the calling thread waits for, the spool write and force) goes into an HdrHistogram.
 */
public final class ReporterBench {
    private static final int BATCH = 1_000;
    private static final int REPORTING_THREADS = 8;

    private ReporterBench() {
    }

    public static void main(String[] args) throws Exception {
        int events = 50_000;
        int orgs = 1_000;
        int senders = 2;
        int rounds = 3;
        Path jar = Path.of("billing-http/target/billing-server.jar");
        Path out = Path.of("billing-bench/target/reporter-results.md");
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--events" -> events = Integer.parseInt(args[i + 1]);
                case "--orgs" -> orgs = Integer.parseInt(args[i + 1]);
                case "--senders" -> senders = Integer.parseInt(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--server-jar" -> jar = Path.of(args[i + 1]);
                case "--out" -> out = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("usage: bin/benchmark --reporter [--events N] "
                        + "[--orgs N] [--senders N] [--rounds N] [--server-jar PATH] [--out FILE]");
            }
        }
        String table = run(jar, events, orgs, senders, rounds);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);
        System.out.println(table);
        System.exit(table.contains("FAIL") ? 1 : 0);
    }

    /** One measured point. */
    private record Point(String name, long events, double seconds, String reportLatency, String retried,
                         String check) {
        double rate() {
            return events / seconds;
        }
    }

    static String run(Path jar, int events, int orgCount, int senders, int roundCount) throws Exception {
        Path work = Files.createTempDirectory("billing-reporter-bench-");
        String run = "r" + Long.toHexString(System.nanoTime() & 0xffffff);
        System.err.printf(Locale.ROOT, "[reporter-bench] %,d events per point, %d orgs, %d senders; server %s in %s%n",
                events, orgCount, senders, jar, work);
        try (ServerProcess server = ServerProcess.start(jar, Options.DEFAULT_SERVER_JVM, work.resolve("data"),
                Map.of());
             LedgerCheck ledger = new LedgerCheck("jdbc:postgresql://127.0.0.1:" + server.databasePort()
                     + "/billing")) {
            Target target = new Target("ours", "127.0.0.1", server.port(),
                    new String[] {"X-Internal-Secret: " + server.secret()});
            List<Fixture.Org> orgs = new Setup(target, run).create(orgCount, 1, 0).manyOrgs();
            URI base = URI.create("http://127.0.0.1:" + server.port());
            BillingServiceClient client = BillingServiceClient.create(base, server.secret());

            // Warm the server and both client paths up; not measured.
            baseline(base, server.secret(), orgs, run + "-warm", Math.min(events, 20_000), senders);
            reporterPerEvent(client, work.resolve("warm"), orgs, run + "-warmr", Math.min(events, 20_000), senders,
                    FsyncPolicy.always());

            // The points take turns, round after round, so that a burst of other work on a shared machine lands on
            // all of them rather than on one; each keeps its median round.
            List<List<Point>> rounds = new ArrayList<>();
            for (int round = 0; round < roundCount; round++) {
                String r = run + "-" + round;
                List<Point> points = new ArrayList<>();
                points.add(checked(ledger, baseline(base, server.secret(), orgs, r + "raw", events, senders),
                        r + "raw", events, senders));
                points.add(checked(ledger, reporterPerEvent(client, work.resolve(r + "always"), orgs, r + "always",
                        events, senders, FsyncPolicy.always()), r + "always", events, REPORTING_THREADS));
                points.add(checked(ledger, reporterPerEvent(client, work.resolve(r + "interval"), orgs,
                        r + "interval", events, senders, FsyncPolicy.interval(Duration.ofMillis(100))),
                        r + "interval", events, REPORTING_THREADS));
                points.add(checked(ledger, reporterChunks(client, work.resolve(r + "chunks"), orgs, r + "chunks",
                        events, senders), r + "chunks", events, 1));
                rounds.add(points);
            }
            return render(rounds, events, orgCount, senders);
        }
    }

    /** Raw batch requests of pre-built bodies, back to back, from {@code threads} threads. */
    private static Point baseline(URI base, String secret, List<Fixture.Org> orgs, String prefix, int events,
                                  int threads) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int requests = events / BATCH;
        List<byte[]> bodies = new ArrayList<>(requests);
        for (int r = 0; r < requests; r++) {
            Api.ModelEvent[] batch = new Api.ModelEvent[BATCH];
            for (int i = 0; i < BATCH; i++) {
                int n = r * BATCH + i;
                Fixture.Org org = orgs.get(n % orgs.size());
                batch[i] = new Api.ModelEvent(org.orgId(), org.memberId(), "gpt-5", 1_000, 100, null,
                        key(prefix, n % threads, n / threads));
            }
            bodies.add(Api.batch(batch).getBytes(StandardCharsets.UTF_8));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        java.util.concurrent.atomic.LongAdder retried = new java.util.concurrent.atomic.LongAdder();
        long start = System.nanoTime();
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int r = thread; r < requests; r += threads) {
                        while (true) {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                            URI.create(base + "/v1/internal/billing/usage-events:batch"))
                                    .header("X-Internal-Secret", secret).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(r))).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                break;
                            }
                            if (response.statusCode() != 503 && response.statusCode() != 429) {
                                throw new IllegalStateException("batch answered " + response.statusCode() + ": "
                                        + SettlementLoad.abbreviate(response.body()));
                            }
                            // What any correct client does (the reporter too): the same body again after
                            // Retry-After; the keys make it a replay where the first attempt had landed.
                            retried.increment();
                            Thread.sleep(1_000L * Long.parseLong(response.headers().firstValue("Retry-After")
                                    .orElse("1")));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Point("raw batch requests, plain HTTP loop (baseline)", (long) requests * BATCH, seconds, "–",
                retried.sum() + " requests", null);
    }

    /** {@code report} one event at a time from 8 threads, until flush has seen all settled. */
    private static Point reporterPerEvent(BillingServiceClient client, Path spool, List<Fixture.Org> orgs,
                                          String prefix, int events, int senders, FsyncPolicy fsync)
            throws Exception {
        Histogram latency = new Histogram(3);
        long start;
        double seconds;
        ReporterMetrics metrics;
        try (UsageReporter reporter = UsageReporter.builder(client, spool).senders(senders).fsync(fsync).build()) {
            ExecutorService pool = Executors.newFixedThreadPool(REPORTING_THREADS);
            start = System.nanoTime();
            try {
                List<Future<Histogram>> work = new ArrayList<>();
                for (int t = 0; t < REPORTING_THREADS; t++) {
                    int thread = t;
                    work.add(pool.submit(() -> {
                        Histogram mine = new Histogram(3);
                        for (int n = 0; n * REPORTING_THREADS + thread < events; n++) {
                            Fixture.Org org = orgs.get((n * REPORTING_THREADS + thread) % orgs.size());
                            ModelUsage event = ModelUsage.of(UUID.fromString(org.orgId()),
                                    UUID.fromString(org.memberId()), "gpt-5", 1_000, 100)
                                    .withIdempotencyKey(key(prefix, thread, n));
                            long before = System.nanoTime();
                            reporter.report(event);
                            mine.recordValue((System.nanoTime() - before) / 1_000);
                        }
                        return mine;
                    }));
                }
                for (Future<Histogram> f : work) {
                    latency.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            if (!reporter.flush(Duration.ofMinutes(10))) {
                throw new IllegalStateException("the reporter did not settle everything: " + reporter.metrics());
            }
            seconds = (System.nanoTime() - start) / 1e9;
            metrics = reporter.metrics();
        }
        String name = String.format(Locale.ROOT, "UsageReporter, report() from %d threads, fsync %s",
                REPORTING_THREADS, fsync.kind() == FsyncPolicy.Kind.INTERVAL
                        ? "every " + fsync.interval().toMillis() + " ms" : fsync.kind().name().toLowerCase(Locale.ROOT));
        System.err.println("[reporter-bench] " + name + ": " + metrics);
        return new Point(name, events, seconds, String.format(Locale.ROOT, "%.0f / %.0f",
                latency.getValueAtPercentile(50) / 1.0, latency.getValueAtPercentile(99) / 1.0),
                metrics.retried() + " events", null);
    }

    /** {@code reportAll} of 1 000 events at a time from one thread (one force per call). */
    private static Point reporterChunks(BillingServiceClient client, Path spool, List<Fixture.Org> orgs,
                                        String prefix, int events, int senders) throws Exception {
        Histogram latency = new Histogram(3);
        long start = System.nanoTime();
        ReporterMetrics metrics;
        try (UsageReporter reporter = UsageReporter.builder(client, spool).senders(senders).build()) {
            for (int from = 0; from < events; from += BATCH) {
                List<ModelUsage> chunk = new ArrayList<>(BATCH);
                for (int n = from; n < Math.min(events, from + BATCH); n++) {
                    Fixture.Org org = orgs.get(n % orgs.size());
                    chunk.add(ModelUsage.of(UUID.fromString(org.orgId()), UUID.fromString(org.memberId()), "gpt-5",
                            1_000, 100).withIdempotencyKey(key(prefix, 0, n)));
                }
                long before = System.nanoTime();
                reporter.reportAll(chunk);
                latency.recordValue((System.nanoTime() - before) / 1_000);
            }
            if (!reporter.flush(Duration.ofMinutes(10))) {
                throw new IllegalStateException("the reporter did not settle everything: " + reporter.metrics());
            }
            metrics = reporter.metrics();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.println("[reporter-bench] reportAll: " + metrics);
        return new Point("UsageReporter, reportAll() of 1 000 from 1 thread, fsync always", events, seconds,
                String.format(Locale.ROOT, "%.0f / %.0f (per 1 000)", latency.getValueAtPercentile(50) / 1.0,
                        latency.getValueAtPercentile(99) / 1.0), metrics.retried() + " events", null);
    }

    /** Keys {@code <prefix>-<client>-<n>}, the form {@link LedgerCheck#exactlyOnce} reads. */
    private static String key(String prefix, int client, int n) {
        return prefix + "-" + client + "-" + n;
    }

    /** Every key of the point (clients 0..clients-1, spread as the point spread them) once in the ledger. */
    private static Point checked(LedgerCheck ledger, Point point, String prefix, int events, int clients)
            throws Exception {
        Map<Integer, BitSet> expected = new HashMap<>();
        for (int n = 0; n < events; n++) {
            expected.computeIfAbsent(n % clients, c -> new BitSet()).set(n / clients);
        }
        LedgerCheck.ExactlyOnce found = ledger.exactlyOnce("ledger_entries", prefix, expected);
        boolean ok = found.ok() && found.unacknowledgedEntries() == 0 && found.entries() == events;
        System.err.println("[reporter-bench] " + point.name() + ": " + found);
        return new Point(point.name(), point.events(), point.seconds(), point.reportLatency(), point.retried(),
                ok ? "ok" : "FAIL " + found);
    }

    private static String render(List<List<Point>> rounds, int events, int orgs, int senders) {
        int count = rounds.get(0).size();
        List<Point> medians = new ArrayList<>();
        List<String> ranges = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int index = i;
            List<Point> runs = rounds.stream().map(r -> r.get(index))
                    .sorted(java.util.Comparator.comparingDouble(Point::rate)).toList();
            medians.add(runs.get(runs.size() / 2));
            ranges.add(String.format(Locale.ROOT, "%,.0f–%,.0f", runs.get(0).rate(), runs.get(runs.size() - 1).rate()));
            boolean allOk = runs.stream().allMatch(p -> "ok".equals(p.check()));
            if (!allOk) {
                ranges.set(i, ranges.get(i) + " FAIL " + runs.stream().map(Point::check).toList());
            }
        }
        double baseline = medians.get(0).rate();
        StringBuilder table = new StringBuilder();
        table.append("Reporter benchmark (").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("): ")
                .append(String.format(Locale.ROOT, "%,d model events per point and round, %d rounds (the points "
                        + "take turns; the median round is shown), over %,d orgs, %d requests in flight (senders), "
                        + "1 000 events per request. Machine: %d cores (%s), %s RAM, %s %s; Java %s. "
                        + "Server: %s on its embedded PostgreSQL 17 (fsync=on), loopback; the reporter, its spool and "
                        + "the baseline on the same machine.%n%n", events, rounds.size(), orgs, senders,
                        Runtime.getRuntime().availableProcessors(), BenchMain.cpuModel(), BenchMain.memTotal(),
                        System.getProperty("os.name"), System.getProperty("os.arch"),
                        System.getProperty("java.version"), String.join(" ", Options.DEFAULT_SERVER_JVM)));
        table.append("| point | events/s (median) | vs baseline | range over rounds | report() p50 / p99 µs "
                + "| resent after 503/429 | exactly once |\n");
        table.append("|---|---:|---:|---:|---:|---:|---|\n");
        for (int i = 0; i < count; i++) {
            Point p = medians.get(i);
            table.append(String.format(Locale.ROOT, "| %s | %,.0f | %.2f× | %s | %s | %s | %s |%n", p.name(),
                    p.rate(), p.rate() / baseline, ranges.get(i), p.reportLatency(), p.retried(),
                    ranges.get(i).contains("FAIL") ? "FAIL" : "ok, every round"));
        }
        return table.toString();
    }
}
