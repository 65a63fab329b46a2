package io.agentbilling.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a process's resident set from {@code /proc/<pid>/status} every 100 ms: the peak {@code VmRSS} since the last
 * {@link #resetPeak()} (per workload), and the kernel's own high-water mark {@code VmHWM} (whole run). Thread-safe.
 */
final class MemoryProbe implements AutoCloseable {
    private final long pid;
    private final AtomicLong peakKib = new AtomicLong();
    private final Thread sampler;
    private volatile boolean running = true;

    MemoryProbe(long pid) {
        this.pid = pid;
        this.sampler = new Thread(this::sample, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private void sample() {
        while (running) {
            long rss = read("VmRSS:");
            peakKib.accumulateAndGet(rss, Math::max);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Peak VmRSS since the last reset, in MiB, and starts a new window. */
    double resetPeak() {
        long peak = Math.max(peakKib.getAndSet(0), read("VmRSS:"));
        return peak / 1024.0;
    }

    /** The process's VmHWM (peak resident set over its life), in MiB. */
    double highWaterMib() {
        return read("VmHWM:") / 1024.0;
    }

    private long read(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process is gone, or no /proc
        }
        return 0;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
