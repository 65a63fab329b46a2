package io.agentbilling.core.usage;

import io.agentbilling.core.access.MemberId;
import io.agentbilling.core.access.OrgId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The runtime meter of one sandbox (API.md Part B): opened at start, kept alive by heartbeats, charged by
 * settlements. Time from {@code startedAt} up to {@code settledThrough} is accounted for (charged or forgiven); time
 * after it is not yet. Immutable: each transition returns the next state.
 *
 * @param sandboxId       the caller's id of the sandbox, unique across orgs
 * @param settledThrough  the instant up to which runtime is settled; each settlement moves it by its charged plus
 *                        forgiven seconds
 * @param settledSeconds  seconds charged so far
 * @param forgivenSeconds seconds waived so far
 */
public record SandboxMeter(
        String sandboxId,
        OrgId orgId,
        MemberId memberId,
        String size,
        Instant startedAt,
        Instant lastHeartbeatAt,
        Instant settledThrough,
        long settledSeconds,
        long forgivenSeconds,
        MeterStatus status) {
    /**
     * @param forgivenSeconds seconds waived so far
     * @param memberId the member
     * @param orgId the organization
     * @param sandboxId the caller's id of the sandbox, unique across orgs
     * @param settledSeconds seconds charged so far
     * @param settledThrough the instant up to which runtime is settled; each settlement moves it by its charged
     *     plus forgiven seconds
     * @param size the sandbox size
     */
    public SandboxMeter {
        Objects.requireNonNull(sandboxId, "sandboxId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(lastHeartbeatAt, "lastHeartbeatAt");
        Objects.requireNonNull(settledThrough, "settledThrough");
        Objects.requireNonNull(status, "status");
        if (settledSeconds < 0 || forgivenSeconds < 0) {
            throw new IllegalArgumentException("meter counters cannot be negative");
        }
        if (lastHeartbeatAt.isBefore(startedAt) || settledThrough.isBefore(startedAt)) {
            throw new IllegalArgumentException("a meter's heartbeat and settlement cannot precede its start");
        }
    }

    /**
     * A new meter: running, nothing settled, its start counting as the first heartbeat.
     *
     * @param sandboxId the sandbox
     * @param orgId the organization
     * @param memberId the member
     * @param size the sandbox size
     * @param at the instant
     */
    public static SandboxMeter start(String sandboxId, OrgId orgId, MemberId memberId, String size, Instant at) {
        return new SandboxMeter(sandboxId, orgId, memberId, size, at, at, at, 0, 0, MeterStatus.ACTIVE);
    }

    /**
     * Alive at {@code at}: a pending meter comes back to life; a heartbeat older than the last changes nothing.
     *
     * @param at the instant
     */
    public SandboxMeter heartbeat(Instant at) {
        requireOpen();
        Instant latest = at.isAfter(lastHeartbeatAt) ? at : lastHeartbeatAt;
        return new SandboxMeter(sandboxId, orgId, memberId, size, startedAt, latest, settledThrough, settledSeconds,
                forgivenSeconds, MeterStatus.ACTIVE);
    }

    /**
     * After a settlement of {@code seconds} charged and {@code forgiven} waived; {@code last} closes the meter.
     *
     * @param seconds runtime seconds
     */
    public SandboxMeter settle(long seconds, long forgiven, boolean last) {
        requireOpen();
        if (seconds < 0 || forgiven < 0) {
            throw new IllegalArgumentException("settled seconds cannot be negative");
        }
        Instant through = settledThrough.plusSeconds(Math.addExact(seconds, forgiven));
        return new SandboxMeter(sandboxId, orgId, memberId, size, startedAt, lastHeartbeatAt, through,
                Math.addExact(settledSeconds, seconds), Math.addExact(forgivenSeconds, forgiven),
                last ? MeterStatus.SETTLED : status);
    }

    public SandboxMeter markPending() {
        requireOpen();
        return new SandboxMeter(sandboxId, orgId, memberId, size, startedAt, lastHeartbeatAt, settledThrough,
                settledSeconds, forgivenSeconds, MeterStatus.PENDING);
    }

    public boolean isOpen() {
        return status != MeterStatus.SETTLED;
    }

    /**
     * Open, and no heartbeat for longer than {@code heartbeatTimeout}.
     *
     * @param now the current instant
     */
    public boolean isSilentAt(Instant now, Duration heartbeatTimeout) {
        return isOpen() && lastHeartbeatAt.plus(heartbeatTimeout).isBefore(now);
    }

    /**
     * Running time not yet settled (an estimate, not charged): zero unless the meter is active and not silent.
     *
     * @param now the current instant
     */
    public long activeSeconds(Instant now, Duration heartbeatTimeout) {
        if (status != MeterStatus.ACTIVE || isSilentAt(now, heartbeatTimeout)) {
            return 0;
        }
        return wholeSecondsBetween(settledThrough, now);
    }

    /**
     * Time of a silent or pending sandbox awaiting its final settlement: what the heartbeats vouch for beyond the
     * settled time, i.e. what {@link #sweep(Duration)} would charge.
     *
     * @param now the current instant
     */
    public long pendingSeconds(Instant now, Duration heartbeatTimeout) {
        boolean pending = status == MeterStatus.PENDING
                || (status == MeterStatus.ACTIVE && isSilentAt(now, heartbeatTimeout));
        return pending ? wholeSecondsBetween(settledThrough, lastHeartbeatAt) : 0;
    }

    /**
     * The service's own final settlement of a sandbox that went silent: it charges the time the heartbeats vouch
     * for (from {@code settledThrough} to the last heartbeat) and forgives the window after the last heartbeat in
     * which the sandbox still counted as active (up to the heartbeat timeout). The silence after that window was
     * never seen as runtime, so it is neither charged nor forgiven.
     */
    public Sweep sweep(Duration heartbeatTimeout) {
        requireOpen();
        long charged = wholeSecondsBetween(settledThrough, lastHeartbeatAt);
        Instant windowStart = settledThrough.isAfter(lastHeartbeatAt) ? settledThrough : lastHeartbeatAt;
        long forgiven = wholeSecondsBetween(windowStart, lastHeartbeatAt.plus(heartbeatTimeout));
        return new Sweep(charged, forgiven, settle(charged, forgiven, true));
    }

    /** What a sweep settles, and the closed meter. */
    public record Sweep(long chargedSeconds, long forgivenSeconds, SandboxMeter after) {}

    private void requireOpen() {
        if (!isOpen()) {
            throw new IllegalStateException("meter " + sandboxId + " is settled");
        }
    }

    private static long wholeSecondsBetween(Instant from, Instant to) {
        return to.isAfter(from) ? Duration.between(from, to).getSeconds() : 0;
    }
}
