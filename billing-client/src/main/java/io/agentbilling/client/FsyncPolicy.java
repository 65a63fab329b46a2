package io.agentbilling.client;

import java.time.Duration;
import java.util.Objects;

/**
 * When the {@link UsageReporter}'s spool is forced to disk ({@code FileChannel.force}), which decides what survives
 * which crash once {@code report(…)} has returned:
 * <ul>
 *   <li>{@link #always()} (the default): {@code report} returns after the event's bytes are written <em>and</em>
 *       forced to the storage device. The event survives {@code kill -9}, a JVM crash, and an operating-system crash
 *       or power loss (as far as the device honours a flush). Concurrent {@code report} calls share one force (group
 *       commit); {@code reportAll} forces once for all its events.</li>
 *   <li>{@link #interval(Duration)}: {@code report} returns after the bytes are written to the operating system (its
 *       page cache); a background thread forces every interval. The event survives {@code kill -9} and a JVM crash;
 *       an operating-system crash or power loss may lose the events reported in the last interval (plus the time one
 *       force takes).</li>
 *   <li>{@link #never()}: written to the operating system, forced only on compaction and close. Survives
 *       {@code kill -9} and a JVM crash; an operating-system crash loses whatever the kernel had not written yet.</li>
 * </ul>
 */
public record FsyncPolicy(Kind kind, Duration interval) {
    public enum Kind { ALWAYS, INTERVAL, NEVER }

    public FsyncPolicy {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.INTERVAL && (interval == null || interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("an interval policy needs a positive interval");
        }
        if (kind != Kind.INTERVAL) {
            interval = null;
        }
    }

    public static FsyncPolicy always() {
        return new FsyncPolicy(Kind.ALWAYS, null);
    }

    public static FsyncPolicy interval(Duration interval) {
        return new FsyncPolicy(Kind.INTERVAL, interval);
    }

    public static FsyncPolicy never() {
        return new FsyncPolicy(Kind.NEVER, null);
    }
}
