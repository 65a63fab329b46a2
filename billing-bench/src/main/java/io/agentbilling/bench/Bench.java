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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

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
    private ServerProcess server;
    private Path work;
    private NaiveServer naive;
    private PgbenchCeiling ceiling;
    private PgbenchFloor floor;
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
        work = Files.createTempDirectory("billing-bench-");
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
            this.server = server;
            memory = probe;
            ledger = check;
            ours = new Target("ours", "127.0.0.1", server.port(),
                    new String[] {"X-Internal-Secret: " + server.secret()});
            long setupStart = System.nanoTime();
            fixture = new Setup(ours, runId).create(o.orgs, o.usageMembers, o.readKeys);
            log.printf(Locale.ROOT, "[bench] created %d orgs (+2) with their members through the API in %.1f s%n",
                    o.orgs, (System.nanoTime() - setupStart) / 1e9);
            if (o.naive) {
                try (Connection c = ledger.connection()) {
                    NaiveServer.load(c, fixture, OPENING_MICROS);
                }
                naive = NaiveServer.start(jdbcUrl(server.databasePort()), 8, 64);
            }
            Optional<String> pgbench = o.pgbench ? Pgbench.find() : Optional.empty();
            if (o.pgbench && pgbench.isEmpty()) {
                report.note("pgbench not found: the ceiling and floor columns are empty (bin/benchmark installs it with"
                        + " apt-get)");
            }
            if (pgbench.isPresent()) {
                Pgbench runner = new Pgbench(pgbench.get(), server.databasePort());
                try (Connection c = ledger.connection()) {
                    ceiling = PgbenchCeiling.prepare(runner, c, o.orgs, work);
                    floor = PgbenchFloor.prepare(runner, c, o.orgs, work);
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
                twoInstances();
                savePartial();
                latency();
                savePartial();
                reads();
                savePartial();
                usageReport();
                savePartial();
                overload();
            } finally {
                cleanUp(server);
            }
            double hwm = memory.highWaterMib();
            report.row(Report.Row.latency("server RSS, peak of the whole run (VmHWM)", Double.NaN, Double.NaN,
                    Double.NaN, Double.NaN, hwm, null));
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
                PgbenchFloor.drop(c);
            } catch (SQLException | RuntimeException e) {
                log.println("[bench] could not drop the ceiling and floor schemas: " + e);
            }
        }
    }

    private static String jdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/billing";
    }

    // ---- workloads ----

    private double bestManyOurs;
    private double bestManyCeiling = Double.NaN;
    private final Map<Integer, Double> manyOursAt = new HashMap<>();
    private final Map<Integer, Double> manyCeilingAt = new HashMap<>();
    private double hotAt8 = Double.NaN;
    private double hotAt64 = Double.NaN;
    private double bestBatch;
    private double creditP99 = Double.NaN;
    private double settleP99 = Double.NaN;
    private final List<Double> reportP99s = new ArrayList<>();
    /** ours / floor of every settlement throughput row, in table order. */
    private final Map<String, Double> ofFloor = new LinkedHashMap<>();
    /** Public reads as a share of {@code GET /health}, by endpoint. */
    private final Map<String, Double> ofHealth = new LinkedHashMap<>();
    private String overloadVerdict;
    private boolean overloadMet;

    private void manyOrgs() throws Exception {
        for (int clients : o.manyOrgClients) {
            String name = "many orgs (" + o.orgs + "), 1 settlement/request, " + clients + " clients";
            Measured us = settleClosed(List.of(ours), "mo" + clients, fixture.manyOrgs(), 1, clients);
            Measured them = naive == null ? null : settleClosed(List.of(naive.target()), "mo" + clients,
                    fixture.manyOrgs(), 1, clients);
            double pg = ceilingMany(clients);
            FloorPoint fp = floorAt(clients, 1, us.perCommit(), o.orgs);
            bestManyOurs = Math.max(bestManyOurs, us.result().eventsPerSecond());
            manyOursAt.put(clients, us.result().eventsPerSecond());
            throughputRow(name, "/s", us, them, pg, fp);
        }
        if (ceiling != null) {
            for (int clients : o.pgbenchClients) {
                if (!o.manyOrgClients.contains(clients)) {
                    double pg = ceilingMany(clients);
                    report.row(new Report.Row("pgbench ceiling alone, many orgs, " + clients + " clients", "/s",
                            Double.NaN, Double.NaN, pg, Double.NaN, null, Double.NaN, Double.NaN, Double.NaN,
                            Double.NaN, Double.NaN, null));
                }
            }
        }
    }

    private void hotOrg() throws Exception {
        for (int clients : o.hotOrgClients) {
            String name = "one hot org, 1 settlement/request, " + clients + " clients";
            List<Fixture.Org> hot = List.of(fixture.hotOrg());
            Measured us = settleClosed(List.of(ours), "hot" + clients, hot, 1, clients);
            Measured them = naive == null ? null : settleClosed(List.of(naive.target()), "hot" + clients, hot, 1,
                    clients);
            double pg = ceiling == null ? Double.NaN : ceilingHot(clients);
            FloorPoint fp = floorAt(clients, 1, us.perCommit(), 1);
            throughputRow(name, "/s", us, them, pg, fp);
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
            Measured us = settleClosed(List.of(ours), "ba" + clients, fixture.manyOrgs(), o.batchSize, clients);
            Measured them = naive == null ? null : settleClosed(List.of(naive.target()), "ba" + clients,
                    fixture.manyOrgs(), o.batchSize, clients);
            FloorPoint fp = floorAt(clients, o.batchSize, us.perCommit(), o.orgs);
            bestBatch = Math.max(bestBatch, us.result().eventsPerSecond());
            throughputRow(name, "events/s", us, them, Double.NaN, fp);
        }
    }

    /**
     * Many orgs through two server instances on one database: a second server jar started against the first one's
     * PostgreSQL, client {@code i} on instance {@code i % 2}, and every replay sent to the <em>other</em> instance
     * (which must answer what the first one committed as a replay). The same checks as every workload.
     */
    private void twoInstances() throws Exception {
        if (o.twoInstanceClients <= 0) {
            return;
        }
        int clients = Math.max(2, o.twoInstanceClients);
        log.println("[bench] starting a second server instance on the first one's PostgreSQL");
        ServerProcess second;
        try {
            second = ServerProcess.startOn(o.serverJar, o.serverJvmOptions, work.resolve("data-second"),
                    server.databasePort());
        } catch (IOException | RuntimeException e) {
            report.check("two instances", false, "the second server instance did not start: " + e.getMessage());
            return;
        }
        try (second; MemoryProbe secondMemory = new MemoryProbe(second.pid())) {
            Target other = new Target("ours (second instance)", "127.0.0.1", second.port(),
                    new String[] {"X-Internal-Secret: " + second.secret()});
            // The second JVM starts cold: twice the warm-up, so that its JIT is not what the point measures.
            Measured us = settleClosed(List.of(ours, other), "two" + clients, fixture.manyOrgs(), 1, clients,
                    2 * o.warmupSeconds);
            double rss = Math.max(us.rssMib(), secondMemory.resetPeak());
            double pg = ceilingMany(clients);
            FloorPoint fp = floorAt(clients, 1, us.perCommit(), o.orgs);
            String name = "many orgs (" + o.orgs + "), 1 settlement/request, **two server instances on one database**, "
                    + clients + " clients (" + clients / 2 + " per instance, replays sent to the other one)";
            throughputRow(name, "/s", new Measured(us.result(), rss, us.check(), us.perCommit()), null, pg, fp);
            Double one = manyOursAt.get(clients);
            if (one != null) {
                report.note(String.format(Locale.ROOT, "two instances on one database: %,.0f settlements/s at %d "
                                + "clients against %,.0f/s for one instance at the same client count (%.2f×); "
                                + "server RSS in that row is the larger of the two instances",
                        us.result().eventsPerSecond(), clients, one, us.result().eventsPerSecond() / one));
            }
            if (!second.isAlive()) {
                report.check("two instances", false, "the second server instance died during the workload");
            }
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
        report.row(Report.Row.latency("credit check, open loop @ " + rate + " req/s", Double.NaN, us.p50Millis(),
                us.p99Millis(), them == null ? Double.NaN : them.p99Millis(), rss, check));

        Measured settle = settleOpen(ours, "lat");
        Measured naiveSettle = naive == null ? null : settleOpen(naive.target(), "lat");
        settleP99 = settle.result().p99Millis();
        noteSaturation("settlement open loop (naive)", naiveSettle == null ? null : naiveSettle.result());
        report.row(Report.Row.latency("settlement, open loop @ " + rate + " req/s, many orgs", settle.perCommit(),
                settle.result().p50Millis(), settle.result().p99Millis(),
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

    /**
     * The read path, closed loop, same connections for every endpoint: {@code GET /health} (the server's own floor:
     * no authentication, no database), the internal credit check, and the public reads with members' API keys.
     */
    private void reads() throws InterruptedException {
        List<Fixture.Reader> readers = fixture.readers();
        report.readsTitle(String.format(Locale.ROOT, "Reads: closed loop, %d connections, %.0f s each, public reads "
                + "with the API keys of %d members of %d orgs (one picked at random per request)",
                o.readConnections, o.measureSeconds, readers.size(), readers.size()));
        byte[][] health = {ours.get(Api.HEALTH)};
        byte[][] creditChecks = fixture.manyOrgs().stream()
                .map(org -> ours.postInternal(Api.CREDIT_CHECK, Api.creditCheck(org.orgId()))).toArray(byte[][]::new);
        Map<String, byte[][]> endpoints = new LinkedHashMap<>();
        endpoints.put("`GET /health`", health);
        endpoints.put("`POST /v1/internal/billing/credit-check` (internal secret)", creditChecks);
        endpoints.put("`GET /v1/billing/credits` (API key)", publicReads(readers, Api.CREDITS));
        endpoints.put("`GET /v1/billing/plan` (API key)", publicReads(readers, Api.PLAN));
        endpoints.put("`GET /v1/billing/my-usage?period=30d` (API key)", publicReads(readers,
                Api.MY_USAGE + "?period=30d"));
        double healthRate = Double.NaN;
        for (Map.Entry<String, byte[][]> endpoint : endpoints.entrySet()) {
            log.printf(Locale.ROOT, "[bench] reads: %s, %d connections%n", endpoint.getKey(), o.readConnections);
            memory.resetPeak();
            diagnostics.takeWaits();
            Load.Result result = readLoop(o.readConnections, endpoint.getValue());
            SettlementLoad.Counters c = result.counters();
            double rate = (c.requests - c.errorResponses - c.ioErrors) / result.seconds();
            log.printf(Locale.ROOT, "[bench]   %,.0f/s; %s%n", rate, diagnostics.takeWaits());
            boolean isHealth = endpoint.getValue() == health;
            if (isHealth) {
                healthRate = rate;
            }
            double share = isHealth ? Double.NaN : rate / healthRate;
            if (endpoint.getKey().contains("API key")) {
                ofHealth.put(endpoint.getKey(), share);
            }
            String check = c.errorResponses + c.ioErrors == 0 ? "ok" : (c.errorResponses + c.ioErrors)
                    + " of " + c.requests + " not answered 200: " + answers(c);
            report.read(new Report.Read(endpoint.getKey(), rate, share, result.p50Millis(), result.p99Millis(),
                    check));
        }
    }

    private byte[][] publicReads(List<Fixture.Reader> readers, String path) {
        return readers.stream().map(r -> ours.get(path, "X-API-Key: " + r.apiKey())).toArray(byte[][]::new);
    }

    /** Each connection sends one of {@code requests}, picked at random, back to back. */
    private Load.Result readLoop(int connections, byte[][] requests) throws InterruptedException {
        return Load.closedLoop(ours, connections, o.warmupSeconds, o.measureSeconds, i -> {
            SplittableRandom random = new SplittableRandom(0x5EADL + i);
            return (connection, counters) -> countStatus(connection, requests[random.nextInt(requests.length)],
                    counters);
        });
    }

    /**
     * {@code GET /v1/billing/credits} at many more connections than the server has threads and pooled connections.
     * Every answer is counted by what it said; meanwhile another connection times {@code SELECT 1} on the database,
     * so that the report can tell "overloaded" from "the database is unavailable".
     */
    private void overload() throws Exception {
        int connections = o.overloadConnections;
        byte[][] requests = publicReads(fixture.readers(), Api.CREDITS);
        log.printf(Locale.ROOT, "[bench] overload: GET /v1/billing/credits, %d connections%n", connections);
        memory.resetPeak();
        diagnostics.takeWaits();
        Load.Result result;
        DatabaseWatch watch = new DatabaseWatch(jdbcUrl(server.databasePort()));
        try (watch) {
            result = readLoop(connections, requests);
        }
        double rss = memory.resetPeak();
        log.println("[bench]   " + diagnostics.takeWaits());
        SettlementLoad.Counters c = result.counters();
        long refused = c.errorResponses + c.ioErrors;
        double ok = (c.requests - refused) / result.seconds();
        report.overload(String.format(Locale.ROOT, "`GET /v1/billing/credits`, closed loop at **%d connections** for "
                        + "%.0f s (the API keys of %d members): %,d answers, %,.0f/s answered 200; p50 %s ms, p99 %s ms "
                        + "(all answers); server RSS %.0f MiB", connections, o.measureSeconds, fixture.readers().size(),
                c.requests, ok, Report.num(result.p50Millis(), 2), Report.num(result.p99Millis(), 2), rss));
        report.overload(String.format(Locale.ROOT, "not answered 200: %,d of %,d (%.1f%%)%s", refused, c.requests,
                c.requests == 0 ? 0.0 : 100.0 * refused / c.requests, refused == 0 ? "" : ": " + answers(c)));
        report.overload(watch.summary());
        boolean allOverloadAnswers = c.ioErrors == 0 && c.answers().keySet().stream().allMatch(Bench::saysOverloaded);
        boolean quick = result.p99Millis() <= 1_000;
        overloadMet = allOverloadAnswers && quick && watch.databaseFine();
        long unavailable = c.answers().entrySet().stream().filter(e -> e.getKey().contains(" unavailable: "))
                .mapToLong(Map.Entry::getValue).sum();
        overloadVerdict = refused == 0 ? "every request answered 200" + (quick ? "" : ", but p99 "
                + Report.num(result.p99Millis(), 0) + " ms")
                : String.format(Locale.ROOT, "%,d of %,d not answered 200 (%.1f%%), %,d of them 503 `unavailable`; "
                        + "Retry-After on %s; database %s", refused, c.requests, 100.0 * refused / c.requests,
                unavailable, retryAfterShare(c), watch.databaseFine() ? "fine meanwhile" : "NOT fine meanwhile");
        report.overload("verdict: " + (overloadMet ? "overload is answered as overload" : "**" + overloadVerdict
                + "**: an overloaded server must say \"overloaded, retry\" (503 or 429 with Retry-After), never"
                + " `unavailable` (\"the database is unavailable\") while the database answers, and answer within"
                + " 1 s"));
        log.println("[bench]   overload: " + overloadVerdict);
    }

    /** An answer (other than 200) that says "overloaded, retry": 503/429, "overload" in it, with Retry-After. */
    private static boolean saysOverloaded(String answer) {
        return (answer.startsWith("503 ") || answer.startsWith("429 "))
                && answer.toLowerCase(Locale.ROOT).contains("overload") && answer.contains("[Retry-After: ");
    }

    private static String retryAfterShare(SettlementLoad.Counters c) {
        long with = c.answers().entrySet().stream().filter(e -> e.getKey().contains("[Retry-After: "))
                .mapToLong(Map.Entry::getValue).sum();
        long all = c.answers().values().stream().mapToLong(Long::longValue).sum();
        return with == all ? "all of them" : with + " of " + all;
    }

    private static String answers(SettlementLoad.Counters c) {
        return c.answers().entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .map(e -> String.format(Locale.ROOT, "%,d × %s", e.getValue(), e.getKey()))
                .collect(Collectors.joining("; "));
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
        long[] before = diagnostics.settlementCounters();
        diagnostics.takeWaits();
        Load.Result seeded = Load.fixedCount(ours, clients, requestsPerClient, i -> {
            SettlementLoad.Client client = load.client(i);
            return (connection, counters) -> client.step(ours, connection, counters);
        });
        double seedRss = memory.resetPeak();
        double perCommit = explain(true, List.of(ours), before);
        String seedCheck = verify(true, ours.name(), "usage load", load, seeded);
        FloorPoint fp = floorAt(clients, o.batchSize, perCommit, 1);
        throughputRow(String.format(Locale.ROOT, "loading the report org: %,d events in %,d batch requests, %d "
                        + "clients, one org", seeded.newEvents(), seeded.requests(), clients), "events/s",
                new Measured(seeded, seedRss, seedCheck, perCommit), null, Double.NaN, fp);
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
            report.row(Report.Row.latency(String.format(Locale.ROOT, "my-usage period=%s all=true, org with %,d "
                            + "events, open loop @ %.0f req/s", period, seeded.newEvents(), o.reportRate), Double.NaN,
                    us.p50Millis(), us.p99Millis(), them == null ? Double.NaN : them.p99Millis(), rss,
                    (ok ? "ok" : "FAIL") + saturation(us)));
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

    /** @param perCommit settlements per committed transaction of our group commit in the workload (NaN: naive) */
    private record Measured(Load.Result result, double rssMib, String check, double perCommit) {}

    /** How the floor ran next to a workload: its rate and {@code "B/tx × clients"}. */
    private record FloorPoint(double perSecond, String shape) {
        static final FloorPoint NONE = new FloorPoint(Double.NaN, null);
    }

    private String prefix(Target target, String workload) {
        return runId + "-" + target.name().charAt(0) + "-" + workload;
    }

    /**
     * A closed-loop settlement workload against one server, or split over several instances of ours (client
     * {@code i} on {@code targets[i % n]}, its replays to the next instance).
     */
    private Measured settleClosed(List<Target> targets, String workload, List<Fixture.Org> orgs, int eventsPerRequest,
                                  int clients) throws Exception {
        return settleClosed(targets, workload, orgs, eventsPerRequest, clients, o.warmupSeconds);
    }

    private Measured settleClosed(List<Target> targets, String workload, List<Fixture.Org> orgs, int eventsPerRequest,
                                  int clients, double warmupSeconds) throws Exception {
        boolean isOurs = targets.contains(ours);
        Target first = targets.get(0);
        SettlementLoad load = new SettlementLoad(prefix(first, workload), orgs, eventsPerRequest, o.replayRate, 0);
        String who = targets.size() == 1 ? first.name() : first.name() + ", " + targets.size() + " instances";
        log.printf(Locale.ROOT, "[bench] %s: %s, %d clients, %s events/request%n", who, workload, clients,
                eventsPerRequest);
        memory.resetPeak();
        long[] before = isOurs ? settlementCounters(targets) : null;
        diagnostics.takeWaits();
        Load.Result result = Load.closedLoop(i -> targets.get(i % targets.size()), clients, warmupSeconds,
                o.measureSeconds, targets.size() == 1 ? steps(first, load) : splitSteps(targets, load));
        double rss = memory.resetPeak();
        double perCommit = explain(isOurs, targets, before);
        return new Measured(result, rss, verify(isOurs, who, workload, load, result), perCommit);
    }

    private Measured settleOpen(Target target, String workload) throws Exception {
        boolean isOurs = target == ours;
        SettlementLoad load = new SettlementLoad(prefix(target, workload), fixture.manyOrgs(), 1, o.replayRate, 0);
        log.printf(Locale.ROOT, "[bench] %s: settlements open loop at %.0f/s%n", target.name(), o.latencyRate);
        memory.resetPeak();
        long[] before = isOurs ? settlementCounters(List.of(target)) : null;
        diagnostics.takeWaits();
        Load.Result result = Load.openLoop(target, o.latencyRate, o.latencyConnections, o.warmupSeconds,
                o.latencySeconds, steps(target, load));
        double rss = memory.resetPeak();
        double perCommit = explain(isOurs, List.of(target), before);
        return new Measured(result, rss, verify(isOurs, target.name(), workload + " open loop", load, result),
                perCommit);
    }

    /** {settlements, batches} committed so far, summed over the instances. */
    private static long[] settlementCounters(List<Target> instances) {
        long[] sum = new long[2];
        for (Target instance : instances) {
            long[] counters = Diagnostics.settlementCounters(instance);
            sum[0] += counters[0];
            sum[1] += counters[1];
        }
        return sum;
    }

    /**
     * Logs what the database sessions waited on and, for our server, how many settlements each commit carried (from
     * its {@code /metrics}: settlements and committed batches, before and after); returns that number (NaN for the
     * naive baseline).
     */
    private double explain(boolean isOurs, List<Target> targets, long[] before) {
        String waits = diagnostics.takeWaits();
        if (!isOurs) {
            log.println("[bench]   " + waits);
            return Double.NaN;
        }
        long[] after = settlementCounters(targets);
        long batches = after[1] - before[1];
        double perBatch = batches == 0 ? Double.NaN : (double) (after[0] - before[0]) / batches;
        log.printf(Locale.ROOT, "[bench]   %d commits, %.1f settlements per commit; %s%n", batches, perBatch, waits);
        return perBatch;
    }

    private static IntFunction<Load.Step> steps(Target target, SettlementLoad load) {
        return i -> {
            SettlementLoad.Client client = load.client(i);
            return (connection, counters) -> client.step(target, connection, counters);
        };
    }

    /** Client {@code i} settles on {@code targets[i % n]} and sends its replays to {@code targets[(i + 1) % n]}. */
    private static IntFunction<Load.Step> splitSteps(List<Target> targets, SettlementLoad load) {
        return i -> {
            SettlementLoad.Client client = load.client(i);
            Target own = targets.get(i % targets.size());
            Target other = targets.get((i + 1) % targets.size());
            HttpConnection otherConnection = other.connect();
            return new Load.Step() {
                @Override
                public void run(HttpConnection connection, SettlementLoad.Counters counters) {
                    client.step(own, connection, other, otherConnection, counters);
                }

                @Override
                public void close() {
                    otherConnection.close();
                }
            };
        };
    }

    /** The checks after a settlement workload; returns "ok" or "FAIL" for the table and logs the detail. */
    private String verify(boolean isOurs, String who, String workload, SettlementLoad load, Load.Result result)
            throws Exception {
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
        report.check(workload + " (" + who + ")", ok, detail);
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

    /** Sends one request; anything but 200 is counted as an error and by what it said (status, code, Retry-After). */
    private static void countStatus(HttpConnection connection, byte[] request, SettlementLoad.Counters counters) {
        SettlementLoad.Counters c = counters == null ? new SettlementLoad.Counters() : counters;
        c.requests++;
        try {
            HttpConnection.Response response = connection.send(request);
            if (response.status() != 200) {
                c.errorResponses++;
                c.lastError = response.status() + " " + SettlementLoad.abbreviate(response.text());
                c.answer(response.status() + " " + Api.errorOf(response) + (response.retryAfter() == null
                        ? " [no Retry-After]" : " [Retry-After: " + response.retryAfter() + "]"));
            }
        } catch (IOException e) {
            c.ioErrors++;
            c.lastError = e.toString();
            c.answer("I/O error " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private double ceilingMany(int clients) throws IOException, InterruptedException {
        if (ceiling == null) {
            return Double.NaN;
        }
        Double known = manyCeilingAt.get(clients);
        if (known != null) {
            return known;
        }
        log.printf(Locale.ROOT, "[bench] pgbench ceiling: %d clients over %d orgs%n", clients, o.orgs);
        diagnostics.takeWaits();
        double tps = ceiling.run(clients, o.orgs, o.pgbenchSeconds);
        log.printf(Locale.ROOT, "[bench]   %.0f tps; %s%n", tps, diagnostics.takeWaits());
        manyCeilingAt.put(clients, tps);
        bestManyCeiling = Double.isNaN(bestManyCeiling) ? tps : Math.max(bestManyCeiling, tps);
        return tps;
    }

    private double ceilingHot(int clients) throws IOException, InterruptedException {
        log.printf(Locale.ROOT, "[bench] pgbench ceiling: %d clients on one org%n", clients);
        diagnostics.takeWaits();
        double tps = ceiling.run(clients, 1, o.pgbenchSeconds);
        log.printf(Locale.ROOT, "[bench]   %.0f tps; %s%n", tps, diagnostics.takeWaits());
        return tps;
    }

    /**
     * The floor next to a workload: transactions of B settlements, B = what our group commit reached there
     * ({@code perCommit}, rounded), with as many settlements in flight as the workload had (clients × events per
     * request), so {@code clients × events / B} pgbench clients.
     */
    private FloorPoint floorAt(int clients, int eventsPerRequest, double perCommit, int orgs)
            throws IOException, InterruptedException {
        if (floor == null || Double.isNaN(perCommit) || perCommit <= 0) {
            return FloorPoint.NONE;
        }
        int batch = (int) Math.max(1, Math.min(1_000, Math.round(perCommit)));
        int floorClients = (int) Math.max(1, Math.min(64, Math.round((double) clients * eventsPerRequest / batch)));
        log.printf(Locale.ROOT, "[bench] pgbench floor: %d clients, %d settlements per transaction, over %d org(s)%n",
                floorClients, batch, orgs);
        diagnostics.takeWaits();
        double rate = floor.run(floorClients, batch, orgs, o.pgbenchSeconds);
        log.printf(Locale.ROOT, "[bench]   %.0f settlements/s (%.0f tps); %s%n", rate, rate / batch,
                diagnostics.takeWaits());
        return new FloorPoint(rate, batch + "/tx × " + floorClients);
    }

    private void throughputRow(String name, String unit, Measured us, Measured them, double pg, FloorPoint fp) {
        report.row(new Report.Row(name, unit, us.result().eventsPerSecond(),
                them == null ? Double.NaN : them.result().eventsPerSecond(), pg, fp.perSecond(), fp.shape(),
                us.perCommit(), us.result().p50Millis(), us.result().p99Millis(),
                them == null ? Double.NaN : them.result().p99Millis(), us.rssMib(), us.check()));
        if (!Double.isNaN(fp.perSecond())) {
            ofFloor.put(name, us.result().eventsPerSecond() / fp.perSecond());
        }
    }

    // ---- targets ----

    private void targets(double hwmMib) {
        report.target("many orgs: >= 10,000 settlements/s", fmt(bestManyOurs) + "/s (best client count)",
                bestManyOurs >= 10_000);
        if (!ofFloor.isEmpty()) {
            Map.Entry<String, Double> worst = ofFloor.entrySet().stream().min(Map.Entry.comparingByValue()).get();
            Map.Entry<String, Double> best = ofFloor.entrySet().stream().max(Map.Entry.comparingByValue()).get();
            report.target("every settlement workload: ours >= 0.5x the pgbench floor at its batch size",
                    String.format(Locale.ROOT, "lowest %.2fx (%s), highest %.2fx (%s)", worst.getValue(),
                            worst.getKey(), best.getValue(), best.getKey()), worst.getValue() >= 0.5);
        }
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
        if (!ofHealth.isEmpty()) {
            report.target("public reads >= 50% of `GET /health` (" + o.readConnections + " connections, same run)",
                    ofHealth.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f%%",
                            e.getKey().replace(" (API key)", ""), 100 * e.getValue()))
                            .collect(Collectors.joining(", ")),
                    ofHealth.values().stream().allMatch(share -> share >= 0.5));
        }
        if (overloadVerdict != null) {
            report.target("overload (" + o.overloadConnections + " connections on `GET /v1/billing/credits`): "
                    + "answered \"overloaded, retry\" with Retry-After within 1 s, never `unavailable` while the "
                    + "database is fine", overloadVerdict, overloadMet);
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
