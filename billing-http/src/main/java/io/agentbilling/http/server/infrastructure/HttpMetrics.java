package io.agentbilling.http.server.infrastructure;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.DoubleSupplier;

/**
 * The server's Prometheus registry, exposed at {@code /metrics} in the text format. The server records every request
 * ({@code billing_http_requests_total} and {@code billing_http_request_duration_seconds}, by method, route pattern and
 * status); the composition root adds its own through {@link #counter} and {@link #gauge} (settlements committed, pool
 * connections active/idle/pending, …), the JVM's through {@link #addJvmMetrics()}, or directly on
 * {@link #registry()}.
 *
 * <p>Thread-safe. One instance per server (not the library's global default registry, so tests stay independent).
 */
public final class HttpMetrics {
    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    /** Seconds; from 5 ms (a cached balance read) to 10 s (a slow payment provider). */
    private static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final PrometheusRegistry registry;
    private final Counter requests;
    private final Histogram latency;
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public HttpMetrics() {
        this(new PrometheusRegistry());
    }

    public HttpMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        this.requests = Counter.builder()
                .name("billing_http_requests_total")
                .help("HTTP requests answered, by method, route pattern and status")
                .labelNames("method", "route", "status")
                .register(registry);
        this.latency = Histogram.builder()
                .name("billing_http_request_duration_seconds")
                .unit(Unit.SECONDS)
                .help("Time to answer an HTTP request, by method, route pattern and status")
                .labelNames("method", "route", "status")
                .classicOnly()
                .classicUpperBounds(LATENCY_BUCKETS)
                .register(registry);
    }

    /** For anything {@link #counter} and {@link #gauge} do not cover. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * Registers a counter, e.g. {@code counter("billing_settlements_total", "Usage settlements", "kind")} and then
     * {@code .labelValues("model").inc()}. Names follow Prometheus conventions ({@code _total} for counters).
     */
    public Counter counter(String name, String help, String... labelNames) {
        return Counter.builder().name(name).help(help).labelNames(labelNames).register(registry);
    }

    /**
     * Registers a counter whose running total is read at scrape time (a count kept elsewhere, e.g. settlements the
     * group-commit queue has committed), so it is exposed as a counter — {@code _total}, monotonic — not as a gauge.
     * The supplier must only ever grow, run on the scraping thread, and be cheap and non-blocking.
     */
    public void counter(String name, String help, DoubleSupplier runningTotal) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .callback(callback -> callback.call(runningTotal.getAsDouble()))
                .register(registry);
    }

    /** Adds the JVM's own metrics (memory, GC, threads, classes, CPU, …) under their standard {@code jvm_} names. */
    public void addJvmMetrics() {
        JvmMetrics.builder().register(registry);
    }

    /**
     * Registers a gauge read at scrape time, e.g. {@code gauge("billing_db_pool_active_connections", "…",
     * pool::activeConnections)}. The supplier runs on the scraping thread; keep it cheap and non-blocking.
     */
    public void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder()
                .name(name)
                .help(help)
                .callback(callback -> callback.call(value.getAsDouble()))
                .register(registry);
    }

    void recordRequest(String method, String route, int status, double seconds) {
        String statusLabel = Integer.toString(status);
        requests.labelValues(method, route, statusLabel).inc();
        latency.labelValues(method, route, statusLabel).observe(seconds);
    }

    /** The current values in the Prometheus text format (version 0.0.4). */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
