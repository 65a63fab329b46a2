package io.agentbilling.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What explains a workload's number: the server's own group-commit counters (settlements per committed batch, from
 * {@code /metrics}) and what the server's database sessions were doing, sampled from {@code pg_stat_activity} ten
 * times a second (running on CPU, waiting for the WAL flush, for a row lock, or for the application). Thread-safe.
 */
final class Diagnostics implements AutoCloseable {
    private static final Pattern METRIC = Pattern.compile("^(billing_settlements_total|billing_settlement_batches_total)"
            + "(?:\\{[^}]*})? ([0-9.eE+]+)$", Pattern.MULTILINE);

    private final Target server;
    private final Connection connection;
    private final Map<String, AtomicLong> waits = new ConcurrentHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    Diagnostics(Target server, Connection connection) {
        this.server = server;
        this.connection = connection;
        this.sampler = new Thread(this::sample, "pg-activity-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        try (PreparedStatement query = connection.prepareStatement("SELECT coalesce(wait_event_type, 'CPU') || ':'"
                + " || coalesce(wait_event, 'running') FROM pg_stat_activity WHERE datname = 'billing'"
                + " AND state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                + " AND application_name <> 'bench-check'")) {
            while (running) {
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        waits.computeIfAbsent(rows.getString(1), k -> new AtomicLong()).incrementAndGet();
                    }
                }
                Thread.sleep(100);
            }
        } catch (SQLException | InterruptedException e) {
            // stop sampling
        }
    }

    /** The database wait profile since the last call, most frequent first, and a new window. */
    String takeWaits() {
        Map<String, Long> snapshot = new TreeMap<>();
        waits.forEach((k, v) -> snapshot.put(k, v.getAndSet(0)));
        long total = snapshot.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return "db sessions: idle";
        }
        return "db sessions: " + snapshot.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).limit(5)
                .map(e -> e.getKey() + " " + Math.round(100.0 * e.getValue() / total) + "%")
                .collect(Collectors.joining(", "));
    }

    /** {settlements, batches} committed by the server so far. */
    long[] settlementCounters() {
        return settlementCounters(server);
    }

    /** {settlements, batches} committed so far by {@code instance} (the server, or a second instance of it). */
    static long[] settlementCounters(Target instance) {
        long[] counters = new long[2];
        try (HttpConnection http = instance.connect()) {
            HttpConnection.Response response = http.send(instance.get("/metrics"));
            Matcher m = METRIC.matcher(response.text());
            while (m.find()) {
                long value = (long) Double.parseDouble(m.group(2));
                counters[m.group(1).equals("billing_settlements_total") ? 0 : 1] = value;
            }
        } catch (IOException | RuntimeException e) {
            // no metrics: leave zeros
        }
        return counters;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
