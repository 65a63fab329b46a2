package io.agentbilling.bench;

import io.agentbilling.core.usecase.VerifyLedger;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * One benchmark run: starts the server (child process, embedded PostgreSQL in a fresh temp directory), creates the
 * orgs through the API, then for each workload drives our server, the naive baseline and pgbench in turn, checks the
 * ledgers after each, and fills the {@link Report}. Everything runs on this machine, against loopback only, and every
 * loop is bounded by time or count.
 */
final class Bench {
    static final List<String> PERIODS = List.of("current", "7d", "30d", "all_time");
    /** Sign-up credit of the free plan (DefaultCatalog), the naive baseline's opening balance. */
    private static final long OPENING_MICROS = 500L * 1_000_000L;

    private final Options o;
    private final PrintStream log;
    private final Report report = new Report();
    private final String runId;

    private Target ours;
    private NaiveServer naive;
    private PgbenchCeiling ceiling;
    private LedgerCheck ledger;
    private MemoryProbe memory;
    private Diagnostics diagnostics;
    private Fixture fixture;

    Bench(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        this.runId = "b" + HexFormat.of().formatHex(random);
    }

    Report run() throws Exception {
        Path work = Files.createTempDirectory("billing-bench-");
        log.println("[bench] " + o);
        log.println("[bench] starting the server (" + o.serverJar + ", " + String.join(" ", o.serverJvmOptions)
                + ") with its embedded PostgreSQL in " + work);
        // The report workload loads history spread over the past usageSpreadDays: the server must accept usage that
        // old (its default window is 35 days), and the report org is backdated to before it (see usageReport).
        Map<String, String> serverSettings = Map.of("BILLING_USAGE_MAX_AGE_DAYS", Integer.toString(o.usageSpreadDays + 1));
        try (ServerProcess server = ServerProcess.start(o.serverJar, o.serverJvmOptions, work.resolve("data"),
                serverSettings);
             MemoryProbe probe = new MemoryProbe(server.pid());
             LedgerCheck check = new LedgerCheck(jdbcUrl(server.databasePort()))) {
            memory = probe;
            ledger = check;
            ours = new Target("ours", "127.0.0.1", server.port(),
                    new String[] {"X-Internal-Secret: " + server.secret()});
            long setupStart = System.nanoTime();
            fixture = new Setup(ours, runId).create(o.orgs, o.usageMembers);
            log.printf(Locale.ROOT, "[bench] created %d orgs (+2) with their members through the API in %.1f s%n",
                    o.orgs, (System.nanoTime() - setupStart) / 1e9);
            if (o.naive) {
                try (Connection c = ledger.connection()) {
                    NaiveServer.load(c, fixture, OPENING_MICROS);
                }
                naive = NaiveServer.start(jdbcUrl(server.databasePort()), 8, 64);
            }
            Optional<String> pgbench = o.pgbench ? PgbenchCeiling.find() : Optional.empty();
            if (o.pgbench && pgbench.isEmpty()) {
                report.note("pgbench not found: the ceiling column is empty (bin/benchmark installs it with apt-get)");
            }
            if (pgbench.isPresent()) {
                try (Connection c = ledger.connection()) {
                    ceiling = PgbenchCeiling.prepare(pgbench.get(), server.databasePort(), c, o.orgs, work);
                }
            }
            memory.resetPeak();
            diagnostics = new Diagnostics(ours, ledger.connection());
            try {
                manyOrgs();
                savePartial();
                hotOrg();
                savePartial();
                batches();
                savePartial();
                latency();
                savePartial();
                usageReport();
            } finally {
                cleanUp(server);
            }
            double hwm = memory.highWaterMib();
            report.row(new Report.Row("server RSS, peak of the whole run (VmHWM)", "", Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, Double.NaN, Double.NaN, hwm, null));
            targets(hwm);
            if (!server.isAlive()) {
                report.check("server", false, "the server process died during the run");
            }
        } finally {
            deleteDatabase(work);
        }
        return report;
    }

    /** The database of a full run is gigabytes: delete it, keep the server's log. */
    private void deleteDatabase(Path work) {
        Path data = work.resolve("data");
        if (!Files.isDirectory(data)) {
            return;
        }
        try (var paths = Files.walk(data)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            log.println("[bench] could not delete " + data + ": " + e);
        }
        log.println("[bench] server log kept in " + work.resolve("data-server.log"));
    }

    /** The table so far, so that an interrupted run still leaves what it measured. */
    private void savePartial() {
        try {
            Files.createDirectories(o.output.toAbsolutePath().getParent());
            Files.writeString(o.output, report.render("Benchmark (" + o.mode + ", partial: the run did not finish)",
                    BenchMain.machine(o)));
        } catch (IOException e) {
            log.println("[bench] could not write the partial table: " + e);
        }
    }

    /** Never masks the failure that got us here: a cleanup problem is only logged. */
    private void cleanUp(ServerProcess server) {
        if (!server.isAlive()) {
            log.println("[bench] the server process is gone (killed from outside?); see " + server.dataDir()
                    + "-server.log");
        }
        diagnostics.close();
        if (naive != null) {
            naive.close();
        }
        if (ceiling != null && server.isAlive()) {
            try (Connection c = ledger.connection()) {
                PgbenchCeiling.drop(c);
            } catch (SQLException | RuntimeException e) {
                log.println("[bench] could not drop the ceiling schema: " + e);
            }
        }
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/billing";
    }

    // ---- workloads ----

    private double bestManyOurs;
    private double bestManyCeiling = Double.NaN;
    private double hotAt8 = Double.NaN;
    private double hotAt64 = Double.NaN;
    private double bestBatch;
    private double creditP99 = Double.NaN;
    private double settleP99 = Double.NaN;
    private final List<Double> reportP99s = new ArrayList<>();

    private void manyOrgs() throws Exception {
        for (int clients : o.manyOrgClients) {
            String name = "many orgs (" + o.orgs + "), 1 settlement/request, " + clients + " clients";
            Measured us = settleClosed(ours, "mo" + clients, fixture.manyOrgs(), 1, clients);
            Measured them = naive == null ? null : settleClosed(naive.target(), "mo" + clients, fixture.manyOrgs(), 1,
                    clients);
            double pg = ceiling(clients, o.orgs);
            bestManyOurs = Math.max(bestManyOurs, us.result().eventsPerSecond());
            if (!Double.isNaN(pg)) {
                bestManyCeiling = Double.isNaN(bestManyCeiling) ? pg : Math.max(bestManyCeiling, pg);
            }
            throughputRow(name, "/s", us, them, pg);
        }
        if (ceiling != null) {
            for (int clients : o.pgbenchClients) {
                if (!o.manyOrgClients.contains(clients)) {
                    double pg = ceiling(clients, o.orgs);
                    bestManyCeiling = Double.isNaN(bestManyCeiling) ? pg : Math.max(bestManyCeiling, pg);
                    report.row(new Report.Row("pgbench ceiling alone, many orgs, " + clients + " clients", "/s",
                            Double.NaN, Double.NaN, pg, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null));
                }
            }
        }
    }

    private void hotOrg() throws Exception {
        for (int clients : o.hotOrgClients) {
            String name = "one hot org, 1 settlement/request, " + clients + " clients";
            List<Fixture.Org> hot = List.of(fixture.hotOrg());
            Measured us = settleClosed(ours, "hot" + clients, hot, 1, clients);
            Measured them = naive == null ? null : settleClosed(naive.target(), "hot" + clients, hot, 1, clients);
            double pg = ceiling == null ? Double.NaN : ceilingHot(clients);
            throughputRow(name, "/s", us, them, pg);
            if (clients == o.hotOrgClients.get(0)) {
                hotAt8 = us.result().eventsPerSecond();
            }
            if (clients == o.hotOrgClients.get(o.hotOrgClients.size() - 1)) {
                hotAt64 = us.result().eventsPerSecond();
            }
        }
    }

    private void batches() throws Exception {
        for (int clients : o.batchClients) {
            String name = "batch endpoint, " + o.batchSize + " events/request, many orgs, " + clients + " clients";
            Measured us = settleClosed(ours, "ba" + clients, fixture.manyOrgs(), o.batchSize, clients);
            Measured them = naive == null ? null : settleClosed(naive.target(), "ba" + clients, fixture.manyOrgs(),
                    o.batchSize, clients);
            bestBatch = Math.max(bestBatch, us.result().eventsPerSecond());
            throughputRow(name, "events/s", us, them, Double.NaN);
        }
    }

    private void latency() throws Exception {
        String rate = String.format(Locale.ROOT, "%,.0f", o.latencyRate);
        Load.Result us = creditChecks(ours);
        double rss = memory.resetPeak();
        Load.Result them = naive == null ? null : creditChecks(naive.target());
        memory.resetPeak();
        String check = (us.counters().errorResponses + us.counters().ioErrors == 0 ? "ok"
                : "FAIL: " + us.counters().errorResponses + " errors") + saturation(us);
        noteSaturation("credit check (naive)", them);
        report.check("credit check @" + rate + "/s (ours)", check.equals("ok"), us.requests() + " requests, "
                + us.counters().errorResponses + " error responses" + lastError(us));
        creditP99 = us.p99Millis();
        report.row(new Report.Row("credit check, open loop @ " + rate + " req/s", "", Double.NaN, Double.NaN,
                Double.NaN, us.p50Millis(), us.p99Millis(), them == null ? Double.NaN : them.p99Millis(), rss, check));

        Measured settle = settleOpen(ours, "lat");
        Measured naiveSettle = naive == null ? null : settleOpen(naive.target(), "lat");
        settleP99 = settle.result().p99Millis();
        noteSaturation("settlement open loop (naive)", naiveSettle == null ? null : naiveSettle.result());
        report.row(new Report.Row("settlement, open loop @ " + rate + " req/s, many orgs", "", Double.NaN, Double.NaN,
                Double.NaN, settle.result().p50Millis(), settle.result().p99Millis(),
                naiveSettle == null ? Double.NaN : naiveSettle.result().p99Millis(), settle.rssMib(), settle.check()));
    }

    private Load.Result creditChecks(Target target) throws InterruptedException {
        List<Fixture.Org> orgs = fixture.manyOrgs();
        return Load.openLoop(target, o.latencyRate, o.latencyConnections, o.warmupSeconds, o.latencySeconds, i -> {
            SplittableRandom random = new SplittableRandom(i);
            return (connection, counters) -> {
                byte[] request = target.postInternal(Api.CREDIT_CHECK,
                        Api.creditCheck(orgs.get(random.nextInt(orgs.size())).orgId()));
                countStatus(connection, request, counters);
            };
        });
    }

    private void usageReport() throws Exception {
        List<Fixture.Org> members = fixture.usageMembers().stream()
                .map(m -> new Fixture.Org(fixture.usageOrg().orgId(), m)).toList();
        SettlementLoad load = new SettlementLoad(prefix(ours, "usage"), members, o.batchSize, 0, o.usageSpreadDays);
        backdateUsageOrg();
        int clients = 4;
        long requestsPerClient = Math.max(1, (o.usageEvents + (long) clients * o.batchSize - 1)
                / ((long) clients * o.batchSize));
        log.printf(Locale.ROOT, "[bench] loading %,d usage events into one org through the batch endpoint%n",
                requestsPerClient * clients * o.batchSize);
        Load.Result seeded = Load.fixedCount(ours, clients, requestsPerClient, i -> {
            SettlementLoad.Client client = load.client(i);
            return (connection, counters) -> client.step(ours, connection, counters);
        });
        double seedRss = memory.resetPeak();
        String seedCheck = verify(ours, "usage load", load, seeded);
        report.row(new Report.Row(String.format(Locale.ROOT, "loading the report org: %,d events in %,d batch "
                        + "requests, %d clients", seeded.newEvents(), seeded.requests(), clients), "events/s",
                seeded.eventsPerSecond(), Double.NaN, Double.NaN, seeded.p50Millis(), seeded.p99Millis(), Double.NaN,
                seedRss, seedCheck));
        if (naive != null) {
            seedNaive(members, seeded.newEvents());
        }
        for (String period : PERIODS) {
            Load.Result us = reports(ours, period, new String[] {"X-API-Key: " + fixture.usageKey()});
            double rss = memory.resetPeak();
            Load.Result them = naive == null ? null : reports(naive.target(), period, new String[0]);
            memory.resetPeak();
            boolean ok = us.counters().errorResponses + us.counters().ioErrors == 0;
            report.check("my-usage " + period + " (ours)", ok, us.requests() + " requests, "
                    + us.counters().errorResponses + " error responses" + lastError(us));
            reportP99s.add(us.p99Millis());
            noteSaturation("my-usage " + period + " (naive)", them);
            report.row(new Report.Row(String.format(Locale.ROOT, "my-usage period=%s all=true, org with %,d events, "
                            + "open loop @ %.0f req/s", period, seeded.newEvents(), o.reportRate), "", Double.NaN,
                    Double.NaN, Double.NaN, us.p50Millis(), us.p99Millis(), them == null ? Double.NaN : them.p99Millis(),
                    rss, (ok ? "ok" : "FAIL") + saturation(us)));
        }
    }

    private Load.Result reports(Target target, String period, String[] headers) throws InterruptedException {
        byte[] request = target.get(Api.myUsagePath(period, fixture.usageOrg().orgId()), headers);
        return Load.openLoop(target, o.reportRate, 8, Math.min(2, o.warmupSeconds), o.reportSeconds,
                i -> (connection, counters) -> countStatus(connection, request, counters));
    }

    /** Usage may not say it happened before its org existed: the report org's history reaches usageSpreadDays back. */
    private void backdateUsageOrg() throws SQLException {
        try (Connection c = ledger.connection(); Statement sql = c.createStatement()) {
            sql.execute("UPDATE orgs SET created_at = now() - interval '" + (o.usageSpreadDays + 1) + " days'"
                    + " WHERE org_id = '" + UUID.fromString(fixture.usageOrg().orgId()) + "'::uuid");
        }
    }

    /** The naive baseline's copy of the report org's history: the same number of raw entries, written by SQL. */
    private void seedNaive(List<Fixture.Org> members, long events) throws SQLException {
        try (Connection c = ledger.connection(); Statement sql = c.createStatement()) {
            String memberArray = members.stream().map(m -> "'" + UUID.fromString(m.memberId()) + "'::uuid")
                    .reduce((a, b) -> a + "," + b).orElseThrow();
            String modelArray = String.join(",", java.util.Arrays.stream(Api.MODELS).map(m -> "'" + m + "'").toList());
            String org = "'" + UUID.fromString(fixture.usageOrg().orgId()) + "'::uuid";
            sql.execute("INSERT INTO naive_entries SELECT " + org + ", gen_random_uuid(), -1000, 0,"
                    + " (ARRAY[" + memberArray + "])[1 + i % " + members.size() + "],"
                    + " (ARRAY[" + modelArray + "])[1 + i % " + Api.MODELS.length + "], 200 + i % 800, 20 + i % 180,"
                    + " 'seed-" + runId + "-' || i, 'fp', now() - random() * interval '" + o.usageSpreadDays
                    + " days', now() FROM generate_series(1, " + events + ") i");
            sql.execute("UPDATE naive_accounts SET balance_micros = balance_micros - 1000 * " + events
                    + " WHERE org_id = " + org);
            sql.execute("ANALYZE naive_entries");
        }
    }

    // ---- running and checking settlement workloads ----

    private record Measured(Load.Result result, double rssMib, String check) {}

    private String prefix(Target target, String workload) {
        return runId + "-" + target.name().charAt(0) + "-" + workload;
    }

    private Measured settleClosed(Target target, String workload, List<Fixture.Org> orgs, int eventsPerRequest,
                                  int clients) throws Exception {
        SettlementLoad load = new SettlementLoad(prefix(target, workload), orgs, eventsPerRequest, o.replayRate, 0);
        log.printf(Locale.ROOT, "[bench] %s: %s, %d clients, %s events/request%n", target.name(), workload, clients,
                eventsPerRequest);
        memory.resetPeak();
        long[] before = diagnostics.settlementCounters();
        diagnostics.takeWaits();
        Load.Result result = Load.closedLoop(target, clients, o.warmupSeconds, o.measureSeconds, steps(target, load));
        double rss = memory.resetPeak();
        explain(target, before);
        return new Measured(result, rss, verify(target, workload, load, result));
    }

    private Measured settleOpen(Target target, String workload) throws Exception {
        SettlementLoad load = new SettlementLoad(prefix(target, workload), fixture.manyOrgs(), 1, o.replayRate, 0);
        log.printf(Locale.ROOT, "[bench] %s: settlements open loop at %.0f/s%n", target.name(), o.latencyRate);
        memory.resetPeak();
        long[] before = diagnostics.settlementCounters();
        diagnostics.takeWaits();
        Load.Result result = Load.openLoop(target, o.latencyRate, o.latencyConnections, o.warmupSeconds,
                o.latencySeconds, steps(target, load));
        double rss = memory.resetPeak();
        explain(target, before);
        return new Measured(result, rss, verify(target, workload + " open loop", load, result));
    }

    /** Logs what the database sessions waited on and, for our server, how many settlements each commit carried. */
    private void explain(Target target, long[] before) {
        String waits = diagnostics.takeWaits();
        if (target == ours) {
            long[] after = diagnostics.settlementCounters();
            long batches = after[1] - before[1];
            double perBatch = batches == 0 ? 0 : (double) (after[0] - before[0]) / batches;
            log.printf(Locale.ROOT, "[bench]   %d commits, %.1f settlements per commit; %s%n", batches, perBatch, waits);
        } else {
            log.println("[bench]   " + waits);
        }
    }

    private static IntFunction<Load.Step> steps(Target target, SettlementLoad load) {
        return i -> {
            SettlementLoad.Client client = load.client(i);
            return (connection, counters) -> client.step(target, connection, counters);
        };
    }

    /** The checks after a settlement workload; returns "ok" or "FAIL" for the table and logs the detail. */
    private String verify(Target target, String workload, SettlementLoad load, Load.Result result) throws Exception {
        boolean isOurs = target == ours;
        long start = System.nanoTime();
        LedgerCheck.ExactlyOnce once = ledger.exactlyOnce(isOurs ? "ledger_entries" : "naive_entries", load.prefix(),
                load.acknowledged());
        String drift;
        boolean clean;
        if (isOurs) {
            VerifyLedger.Report verified = ledger.verifyOurs();
            clean = verified.clean();
            drift = "VerifyLedger: " + verified.orgsChecked() + " orgs, " + verified.entriesChecked() + " entries, "
                    + (clean ? "no drift" : verified.drifts().size() + " drifts, first " + verified.drifts().get(0));
        } else {
            long drifting = ledger.naiveDrift();
            clean = drifting == 0;
            drift = "balances vs entries: " + (clean ? "no drift" : drifting + " orgs drift");
        }
        SettlementLoad.Counters c = result.counters();
        boolean replaysOk = c.replaysNotMarked == 0 && c.newMarkedAsReplay == 0;
        boolean ok = once.ok() && clean && replaysOk;
        String detail = "exactly once: " + once + "; " + drift + "; replays (measured window): " + c.replays
                + " sent, " + c.replaysNotMarked + " not marked as replays; " + c.errorResponses + " error responses, "
                + c.ioErrors + " I/O errors, " + c.refusedEvents + " refused events" + saturation(result)
                + lastError(result)
                + String.format(Locale.ROOT, " [checked in %.1f s]", (System.nanoTime() - start) / 1e9);
        report.check(workload + " (" + target.name() + ")", ok, detail);
        log.println("[bench]   " + (ok ? "ok " : "FAIL ") + detail);
        String errors = c.errorResponses + c.ioErrors > 0 ? ", " + (c.errorResponses + c.ioErrors) + " errors" : "";
        return (ok ? "ok" : "FAIL") + errors + (isOurs ? saturation(result) : "");
    }

    /** ", saturated: N due requests never sent" when an open loop hit its hard stop. */
    private static String saturation(Load.Result result) {
        long notSent = result.counters().notSent;
        return notSent == 0 ? "" : ", saturated: " + notSent + " due requests never sent (p99 is a lower bound)";
    }

    private void noteSaturation(String workload, Load.Result result) {
        if (result != null && result.counters().notSent > 0) {
            report.note(workload + ": saturated, " + result.counters().notSent + " due requests were never sent before"
                    + " the hard stop; its p99 is a lower bound");
        }
    }

    private static String lastError(Load.Result result) {
        return result.counters().lastError == null ? "" : " (last error: " + result.counters().lastError + ")";
    }

    private static void countStatus(HttpConnection connection, byte[] request, SettlementLoad.Counters counters) {
        SettlementLoad.Counters c = counters == null ? new SettlementLoad.Counters() : counters;
        c.requests++;
        try {
            HttpConnection.Response response = connection.send(request);
            if (response.status() != 200) {
                c.errorResponses++;
                c.lastError = response.status() + " " + SettlementLoad.abbreviate(response.text());
            }
        } catch (IOException e) {
            c.ioErrors++;
            c.lastError = e.toString();
        }
    }

    private double ceiling(int clients, int orgs) throws IOException, InterruptedException {
        if (ceiling == null) {
            return Double.NaN;
        }
        log.printf(Locale.ROOT, "[bench] pgbench: %d clients over %d orgs%n", clients, orgs);
        diagnostics.takeWaits();
        double tps = ceiling.run(clients, orgs, o.pgbenchSeconds);
        log.printf(Locale.ROOT, "[bench]   %.0f tps; %s%n", tps, diagnostics.takeWaits());
        return tps;
    }

    private double ceilingHot(int clients) throws IOException, InterruptedException {
        log.printf(Locale.ROOT, "[bench] pgbench: %d clients on one org%n", clients);
        diagnostics.takeWaits();
        double tps = ceiling.run(clients, 1, o.pgbenchSeconds);
        log.printf(Locale.ROOT, "[bench]   %.0f tps; %s%n", tps, diagnostics.takeWaits());
        return tps;
    }

    private void throughputRow(String name, String unit, Measured us, Measured them, double pg) {
        report.row(new Report.Row(name, unit, us.result().eventsPerSecond(),
                them == null ? Double.NaN : them.result().eventsPerSecond(), pg, us.result().p50Millis(),
                us.result().p99Millis(), them == null ? Double.NaN : them.result().p99Millis(), us.rssMib(),
                us.check()));
    }

    // ---- targets ----

    private void targets(double hwmMib) {
        report.target("many orgs: >= 10,000 settlements/s", fmt(bestManyOurs) + "/s (best client count)",
                bestManyOurs >= 10_000);
        if (!Double.isNaN(bestManyCeiling)) {
            double ratio = bestManyOurs / bestManyCeiling;
            report.target("many orgs: >= 1.0x the pgbench ceiling at its best client count",
                    String.format(Locale.ROOT, "%.2fx (%s/s vs %s/s)", ratio, fmt(bestManyOurs), fmt(bestManyCeiling)),
                    ratio >= 1.0);
        }
        report.target("one hot org: >= 8,000 settlements/s (best client count)", fmt(hotAt8) + "/s at "
                + o.hotOrgClients.get(0) + " clients, " + fmt(hotAt64) + "/s at "
                + o.hotOrgClients.get(o.hotOrgClients.size() - 1), Math.max(hotAt8, hotAt64) >= 8_000);
        report.target("one hot org: no collapse (rate at 64 clients >= 90% of the rate at 8)",
                String.format(Locale.ROOT, "%.0f%%", 100 * hotAt64 / hotAt8), hotAt64 >= 0.9 * hotAt8);
        report.target("batch endpoint: >= 50,000 events/s", fmt(bestBatch) + " events/s", bestBatch >= 50_000);
        report.target("credit check p99 <= 5 ms at 2,000 req/s", Report.num(creditP99, 2) + " ms", creditP99 <= 5);
        report.target("settlement p99 <= 15 ms at 2,000 req/s", Report.num(settleP99, 2) + " ms", settleP99 <= 15);
        for (int i = 0; i < reportP99s.size(); i++) {
            report.target("my-usage p99 <= 20 ms, period " + PERIODS.get(i), Report.num(reportP99s.get(i), 2) + " ms",
                    reportP99s.get(i) <= 20);
        }
        report.target("server RSS <= 384 MiB at peak (" + String.join(" ", o.serverJvmOptions) + ")",
                Report.num(hwmMib, 0) + " MiB", hwmMib <= 384);
        report.target("correctness: no drift, exactly once, replays add nothing (every workload)",
                report.allChecksPassed() ? "all checks passed" : "see the checks below", report.allChecksPassed());
    }

    private static String fmt(double value) {
        return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.0f", value);
    }
}
